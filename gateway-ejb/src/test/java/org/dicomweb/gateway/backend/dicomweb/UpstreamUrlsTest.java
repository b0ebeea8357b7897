package org.dicomweb.gateway.backend.dicomweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.wado.WadoRequest;

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
    void bulkDataUrisOfAnInstanceMapToTheGatewaysBulkDataResourceAndBack() {
        String upstream = "http://pacs:8042/dicom-web/studies/1.2/series/3.4/instances/5.6/bulk/7fe00010";
        String gateway = urls.bulkDataUri(upstream);
        assertEquals(GATEWAY + "/studies/1.2/series/3.4/instances/5.6/bulkdata/bulk/7fe00010", gateway);
        WadoRequest instance = new WadoRequest("1.2", "3.4", "5.6", WadoRequest.ANY_TRANSFER_SYNTAX);
        assertEquals("/studies/1.2/series/3.4/instances/5.6/bulk/7fe00010",
                UpstreamUrls.bulkDataPath(instance, "bulk/7fe00010"));
        assertEquals("http://elsewhere/blob/9", urls.bulkDataUri("http://elsewhere/blob/9"), "outside the root: kept");
        assertEquals("http://pacs:8042/dicom-web/studies/1.2/bulk", urls.bulkDataUri("http://pacs:8042/dicom-web/studies/1.2/bulk"),
                "not below an instance: kept");
    }

    @Test
    void aBulkDataPathCannotClimbOutOfItsInstance() {
        WadoRequest instance = new WadoRequest("1.2", "3.4", "5.6", WadoRequest.ANY_TRANSFER_SYNTAX);
        assertThrows(InvalidRequestException.class, () -> UpstreamUrls.bulkDataPath(instance, "../../x"));
        assertThrows(InvalidRequestException.class, () -> UpstreamUrls.bulkDataPath(instance, "a//b"));
        assertEquals("/studies/1.2/series/3.4/instances/5.6/a%3Fb", UpstreamUrls.bulkDataPath(instance, "a?b"));
    }
}
