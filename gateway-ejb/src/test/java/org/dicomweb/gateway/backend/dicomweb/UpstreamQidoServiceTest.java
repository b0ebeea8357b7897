package org.dicomweb.gateway.backend.dicomweb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class UpstreamQidoServiceTest {

    @Test
    void parametersAreReEncodedOnlyWhereAQueryNeedsIt() {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("PatientName", List.of("DOE^J*"));
        parameters.put("SeriesInstanceUID", List.of("1.2,3.4"));
        parameters.put("includefield", List.of("00100020", "StudyDate"));
        parameters.put("AccessionNumber", List.of("a&b=c+d #%é"));
        String query = UpstreamQidoService.query(parameters);
        assertEquals("?PatientName=DOE%5EJ*&SeriesInstanceUID=1.2,3.4&includefield=00100020&includefield=StudyDate"
                + "&AccessionNumber=a%26b%3Dc%2Bd%20%23%25%C3%A9", query);
        URI.create("http://pacs/dicom-web/studies" + query); // a valid URI
        assertEquals("", UpstreamQidoService.query(Map.of()));
    }
}
