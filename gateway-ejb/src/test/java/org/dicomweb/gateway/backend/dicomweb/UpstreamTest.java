package org.dicomweb.gateway.backend.dicomweb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.Test;

class UpstreamTest {

    @Test
    void failureMessagesNameTheUpstreamsUriWithoutTheSearchsValues() {
        assertEquals("http://pacs:8042/dicom-web/studies", Upstream.withoutQuery(
                URI.create("http://pacs:8042/dicom-web/studies?PatientName=DOE%5EJOHN&PatientID=PAT1")));
        assertEquals("https://pacs/dicom-web/studies/1.2", Upstream.withoutQuery(
                URI.create("https://pacs/dicom-web/studies/1.2#part")));
        assertEquals("http://pacs/dicom-web/series", Upstream.withoutQuery(URI.create("http://pacs/dicom-web/series")));
    }
}
