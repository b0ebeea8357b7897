package org.dicomweb.gateway.backend.dicomweb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.Test;


class UpstreamUrlsTest {

    private static final String GATEWAY = "http://gw:8080/dicomweb/aets/UP";
    private final UpstreamUrls urls = new UpstreamUrls(URI.create("http://pacs:8042/dicom-web"), GATEWAY);

    @Test
    void retrieveUrlsBelowTheRootBecomeTheGatewaysWhateverHostNamesTheUpstream() {
        assertEquals(GATEWAY + "/studies/1.2/series/3.4", urls.retrieveUrl("http://pacs:8042/dicom-web/studies/1.2/series/3.4"));
        assertEquals(GATEWAY + "/studies/1.2", urls.retrieveUrl("https://public.example/dicom-web/studies/1.2"));
        assertEquals("http://pacs:8042/other/studies/1.2", urls.retrieveUrl("http://pacs:8042/other/studies/1.2"));
        assertEquals("http://pacs:8042/dicom-webx/studies/1.2", urls.retrieveUrl("http://pacs:8042/dicom-webx/studies/1.2"));
        assertEquals("not a url", urls.retrieveUrl("not a url"));
    }

    @Test
    void bulkDataUrisOfAnInstanceBecomeTheGatewaysBulkDataResourceOfTheirTagPath() {
        String upstream = "http://pacs:8042/dicom-web/studies/1.2/series/3.4/instances/5.6/bulk/7fe00010";
        assertEquals(GATEWAY + "/studies/1.2/series/3.4/instances/5.6/bulkdata/7FE00010",
                urls.bulkDataUri(upstream, "7FE00010"));
        assertEquals("http://elsewhere/blob/9", urls.bulkDataUri("http://elsewhere/blob/9", "7FE00010"),
                "outside the root: kept");
        assertEquals("http://pacs:8042/dicom-web/studies/1.2/bulk",
                urls.bulkDataUri("http://pacs:8042/dicom-web/studies/1.2/bulk", "7FE00010"), "not below an instance: kept");
    }

    @Test
    void anUpstreamUriIsResolvedAgainstWhereItCameFromAndMustStayBelowTheRoot() {
        URI metadata = URI.create("http://pacs:8042/dicom-web/studies/1.2/series/3.4/instances/5.6/metadata");
        assertEquals("/studies/1.2/series/3.4/instances/5.6/bulk/7fe00010",
                urls.pathBelowRoot(metadata, "http://pacs:8042/dicom-web/studies/1.2/series/3.4/instances/5.6/bulk/7fe00010"));
        assertEquals("/studies/1.2/series/3.4/instances/5.6/bulk/1", urls.pathBelowRoot(metadata, "bulk/1"));
        assertEquals(null, urls.pathBelowRoot(metadata, "/elsewhere/x"));
        assertEquals("/x", urls.pathBelowRoot(metadata, "../../../../../../x"), "up to the root");
        assertEquals(null, urls.pathBelowRoot(metadata, "../../../../../../../x"), "beyond it");
        assertEquals(null, urls.pathBelowRoot(metadata, "http://pacs:8042/dicom-web/../x"));
    }
}
