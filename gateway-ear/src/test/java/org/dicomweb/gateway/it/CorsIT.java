package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import com.sun.net.httpserver.HttpServer;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * CORS as a browser sees it: a page served from another origin (a small HTTP server of the test) fetches a QIDO-RS
 * search, a study's metadata and a frame (whose Accept header makes Chromium send a preflight) from the gateway in
 * Debian's headless Chromium, and reports what it got. From the allowed origin (wildfly-config/test-cors.cli) each
 * works and the page can read the exposed Warning header; from another port, another origin, the browser refuses
 * every one. Then the same protocol without a browser: the preflight's answers and refusals, and no CORS header for
 * an origin that is not allowed.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CorsIT extends DeployedGateway {

    private static final int ALLOWED_PORT = 18180;
    private static final int OTHER_PORT = 18181;
    private static final String ALLOWED = "http://127.0.0.1:" + ALLOWED_PORT;
    private static final String OTHER = "http://127.0.0.1:" + OTHER_PORT;
    private static final String AE = Http.GATEWAY + "/aets/ORTHANC";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String FRAME_ACCEPT = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Three fetches, one after the other; each result (status, Content-Type, Warning, size, or the browser's error)
     * goes into window.results, onto the page and to the console.
     */
    private static final String PAGE = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>cross-origin viewer</title></head><body><pre id="out"></pre>
            <script>
            const p = new URLSearchParams(location.search);
            const ae = p.get('ae');
            const study = p.get('study'), series = p.get('series'), instance = p.get('instance');
            const requests = [
              ['qido', ae + '/studies?StudyInstanceUID=' + study, 'application/dicom+json'],
              ['metadata', ae + '/studies/' + study + '/metadata', 'application/dicom+json'],
              ['frame', ae + '/studies/' + study + '/series/' + series + '/instances/' + instance + '/frames/1',
                p.get('frameAccept')]];
            window.results = {};
            (async () => {
              for (const [name, url, accept] of requests) {
                try {
                  const r = await fetch(url, {headers: {Accept: accept}});
                  const body = await r.arrayBuffer();
                  const result = {status: r.status, type: r.headers.get('Content-Type'),
                    warning: r.headers.get('Warning'), bytes: body.byteLength};
                  if (!name.startsWith('frame')) {
                    result.text = new TextDecoder().decode(body);
                  }
                  window.results[name] = result;
                } catch (e) {
                  window.results[name] = {error: String(e)};
                }
                console.log(name, JSON.stringify(window.results[name]));
                document.getElementById('out').textContent = JSON.stringify(window.results, null, 1);
              }
              window.done = true;
            })();
            </script></body></html>
            """;

    private static HttpServer allowedSite;
    private static HttpServer otherSite;
    private static HeadlessChromium chromium;

    @BeforeAll
    static void start() throws Exception {
        TestPeers.start("orthanc");
        allowedSite = site(ALLOWED_PORT);
        otherSite = site(OTHER_PORT);
        chromium = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        for (HttpServer site : new HttpServer[] {allowedSite, otherSite}) {
            if (site != null) {
                site.stop(0);
            }
        }
    }

    /** A site on a loopback port that serves the page at /viewer and nothing else. */
    private static HttpServer site(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/viewer", exchange -> {
            byte[] page = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.start();
        return server;
    }

    @Test
    void aPageOnTheAllowedOriginReadsQidoMetadataAndAFrame() {
        String study = SampleStudies.studies().get(0);
        String series = SampleStudies.series(study).get(0);
        JsonObject results = openViewer(ALLOWED, study, series, SampleStudies.instances(study, series).get(0));

        JsonObject qido = results.getJsonObject("qido");
        assertEquals(200, qido.getInt("status"), qido.toString());
        assertTrue(qido.getString("text").contains(study), qido.toString());
        assertTrue(qido.getString("warning").startsWith("299 "), "the page reads the exposed Warning: " + qido);

        JsonObject metadata = results.getJsonObject("metadata");
        assertEquals(200, metadata.getInt("status"), metadata.toString());
        assertEquals(SampleStudies.instances(study).size(), Json.createReader(new StringReader(
                metadata.getString("text"))).readArray().size(), "one data set per instance of the study");

        JsonObject frame = results.getJsonObject("frame");
        assertEquals(200, frame.getInt("status"), frame.toString());
        assertTrue(frame.getString("type").startsWith("multipart/related"), frame.toString());
        assertTrue(frame.getInt("bytes") > 1000, "a frame's pixels: " + frame);
    }

    @Test
    void theBrowserRefusesEveryAnswerToAnotherOrigin() {
        String study = SampleStudies.studies().get(0);
        String series = SampleStudies.series(study).get(0);
        JsonObject results = openViewer(OTHER, study, series, SampleStudies.instances(study, series).get(0));
        for (String name : List.of("qido", "metadata", "frame")) {
            JsonObject result = results.getJsonObject(name);
            assertTrue(result.getString("error", "").startsWith("TypeError"), name + ": " + result);
        }
    }

    @Test
    void aPreflightOfTheAllowedOriginIs204WithWhatItAsked() {
        HttpResponse<String> answer = preflight(ALLOWED, "GET", "authorization,accept");
        assertEquals(204, answer.statusCode(), answer.body());
        assertEquals(ALLOWED, header(answer, "Access-Control-Allow-Origin"));
        assertEquals("GET, HEAD, POST, OPTIONS", header(answer, "Access-Control-Allow-Methods"));
        assertEquals("authorization, accept", header(answer, "Access-Control-Allow-Headers"));
        assertEquals("600", header(answer, "Access-Control-Max-Age"));
        assertEquals("Origin", header(answer, "Vary"));
        assertEquals("", header(answer, "Access-Control-Allow-Credentials"), "credentials are not configured");
    }

    @Test
    void aPreflightOfAnotherOriginIs403WithTheReasonAndNoCorsHeader() {
        HttpResponse<String> answer = preflight(OTHER, "GET", "accept");
        assertEquals(403, answer.statusCode(), answer.body());
        assertEquals("the origin " + OTHER + " is not one of gateway.cors.allowed-origins", Json.createReader(
                new StringReader(answer.body())).readObject().getString("reason"));
        assertEquals("", header(answer, "Access-Control-Allow-Origin"));
    }

    @Test
    void aPreflightForAHeaderNotAllowedIs403NamingIt() {
        HttpResponse<String> answer = preflight(ALLOWED, "GET", "accept,x-secret");
        assertEquals(403, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("the request header x-secret is not allowed cross-origin"), answer.body());
    }

    @Test
    void anActualRequestGetsCorsHeadersOnlyForTheAllowedOrigin() {
        HttpResponse<String> allowed = get(AE + "/studies?limit=1", ALLOWED);
        assertEquals(200, allowed.statusCode(), allowed.body());
        assertEquals(ALLOWED, header(allowed, "Access-Control-Allow-Origin"));
        assertTrue(header(allowed, "Access-Control-Expose-Headers").contains("Warning"), allowed.headers().toString());
        assertTrue(List.of(String.join(",", allowed.headers().allValues("Vary")).split(" *, *")).contains("Origin"),
                allowed.headers().toString());

        HttpResponse<String> other = get(AE + "/studies?limit=1", OTHER);
        assertEquals(200, other.statusCode(), "the gateway answers; only the browser keeps it from the page");
        assertEquals("", header(other, "Access-Control-Allow-Origin"));
        assertEquals("", header(other, "Access-Control-Expose-Headers"));

        HttpResponse<String> error = get(Http.GATEWAY + "/aets/NO-SUCH-AE/studies", ALLOWED);
        assertEquals(404, error.statusCode());
        assertEquals(ALLOWED, header(error, "Access-Control-Allow-Origin"), "an error reaches the page too");
    }

    private JsonObject openViewer(String site, String study, String series, String instance) {
        chromium.open(site + "/viewer?ae=" + query(AE) + "&study=" + study + "&series=" + series + "&instance="
                + instance + "&frameAccept=" + query(FRAME_ACCEPT));
        chromium.waitUntil("the page's three fetches are done", "window.done === true", DEADLINE);
        JsonString results = (JsonString) chromium.evaluate("JSON.stringify(window.results)");
        return Json.createReader(new StringReader(results.getString())).readObject();
    }

    private static HttpResponse<String> preflight(String origin, String method, String headers) {
        return send(HttpRequest.newBuilder(URI.create(AE + "/studies"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
                .header("Access-Control-Request-Method", method).header("Access-Control-Request-Headers", headers));
    }

    private static HttpResponse<String> get(String url, String origin) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Origin", origin)
                .header("Accept", "application/dicom+json"));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the gateway did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("");
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
