package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A WADO-RS study retrieval served from the study cache declares its Content-Length, and the body is exactly that long
 * and well-formed (every instance one Part 10 part, the closing delimiter last): over HTTP/1.1, where Undertow sends
 * each cached file with sendfile, and over HTTP/2 (h2c), where it copies them; a HEAD declares the same length.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CachedRetrievalLengthIT extends DeployedGateway {

    private static final String ANY = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    private final String study = SampleStudies.studies().get(0);
    private final String url = Http.GATEWAY + "/aets/ORTHANC/studies/" + study;

    @Test
    void aCachedStudyIsAsLongAsItsContentLengthOverHttp11AndHttp2() throws Exception {
        Http.Reply metadata = Http.get(url + "/metadata"); // fills the cache with the whole study
        assertEquals(200, metadata.status(), metadata.body());
        long length = -1;
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
            HttpResponse<InputStream> response = Http.getStream(version, url, "Accept", ANY);
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readAllBytes();
            }
            assertEquals(200, response.statusCode(), new String(body, StandardCharsets.UTF_8));
            String declared = response.headers().firstValue("Content-Length").orElse("none");
            assertEquals(String.valueOf(body.length), declared, version + ": a cached retrieval declares its length");
            List<Multipart.Part> parts = Multipart.parts(body,
                    Multipart.boundary(response.headers().firstValue("Content-Type").orElseThrow()));
            assertEquals(SampleStudies.instances(study).size(), parts.size(), version.toString());
            for (Multipart.Part part : parts) {
                assertTrue(part.contentType().startsWith("application/dicom; transfer-syntax="), part.contentType());
                assertEquals("DICM", new String(part.body(), 128, 4, StandardCharsets.US_ASCII));
            }
            assertTrue(length == -1 || length == body.length, "the same length over both protocols");
            length = body.length;
        }

        HttpResponse<byte[]> head = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Accept", ANY)
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(length), head.headers().firstValue("Content-Length").orElse("none"),
                "HEAD answered from the cache, as the GETs were (else the gateway's log says why not): " + head.headers());
        assertEquals(0, head.body().length);
    }
}
