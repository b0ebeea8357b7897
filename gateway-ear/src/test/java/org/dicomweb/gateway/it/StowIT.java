package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * STOW-RS into Orthanc and dcmqrscp: what the gateway reports stored is found with findscu and retrieved back
 * byte-identical; corrupt parts, other studies and refused SOP classes are reported as failures, never as stored.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StowIT extends DeployedGatewayAndPeers {

    private static final String BOUNDARY = "stow-it-boundary";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path work;

    @AfterEach
    void noTemporaryFileLeft() throws IOException {
        Path spool = Path.of(System.getProperty("jboss.home"), "standalone/tmp/dicomweb-stow");
        if (Files.isDirectory(spool)) {
            try (Stream<Path> left = Files.list(spool)) {
                assertEquals(List.of(), left.toList(), "STOW-RS temporary files are deleted");
            }
        }
    }

    /** New instances with new UIDs, from the project's own generator. */
    private static List<Path> generate(String name, int instances) throws IOException {
        Path directory = work.resolve(name);
        TestPeers.run("java", "-cp", "/usr/share/java/pixelmed.jar",
                TestPeers.projectRoot().resolve("scripts/GenerateStudies.java").toString(), directory.toString(), "1",
                "1", String.valueOf(instances));
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    private record Part(String contentType, byte[] body) {
    }

    private static Part dicom(Path file) throws IOException {
        return new Part("application/dicom", Files.readAllBytes(file));
    }

    private static HttpResponse<String> post(String path, String type, Part... parts) throws Exception {
        return post(path, type, "application/dicom+json", parts);
    }

    private static HttpResponse<String> post(String path, String type, String accept, Part... parts) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Part part : parts) {
            body.write(("--" + BOUNDARY + "\r\nContent-Type: " + part.contentType() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.write(part.body());
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return CLIENT.send(HttpRequest.newBuilder(URI.create(Http.GATEWAY + path))
                .header("Content-Type", "multipart/related; type=\"" + type + "\"; boundary=" + BOUNDARY)
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** SOP Instance UID to the other attributes of the items of a store response sequence (UIDs there once each). */
    private static Map<String, JsonObject> items(JsonObject response, String sequenceTag) {
        return allItems(response, sequenceTag).stream().collect(Collectors.toMap(StowIT::sopInstanceUid, i -> i));
    }

    private static List<JsonObject> allItems(JsonObject response, String sequenceTag) {
        if (!response.containsKey(sequenceTag)) {
            return List.of();
        }
        return response.getJsonObject(sequenceTag).getJsonArray("Value").stream().map(JsonObject.class::cast)
                .toList();
    }

    /** The item's ReferencedSOPInstanceUID, or "" where it has none (a part that was not an instance). */
    private static String sopInstanceUid(JsonObject item) {
        JsonObject uid = item.getJsonObject("00081155");
        return uid.containsKey("Value") ? uid.getJsonArray("Value").getString(0) : "";
    }

    private static int failureReason(JsonObject item) {
        return item.getJsonObject("00081197").getJsonArray("Value").getInt(0);
    }

    private static String uidOf(Path file) {
        return file.getFileName().toString().replace(".dcm", "");
    }

    @Test
    void storedInstancesAreFoundAndRetrievedIdentical() throws Exception {
        for (String aet : List.of("ORTHANC", "DCMQRSCP")) {
            // 25 instances, ~13 MB: more than a web server's default limit on request bodies (Undertow: 10 MB).
            List<Path> files = generate("stored-" + aet, 25);
            HttpResponse<String> response = post("/aets/" + aet + "/studies", "application/dicom",
                    files.stream().map(f -> {
                        try {
                            return dicom(f);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }).toArray(Part[]::new));
            assertEquals(200, response.statusCode(), response.body());
            Set<String> sent = files.stream().map(StowIT::uidOf).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(sent, new TreeSet<>(items(json(response), "00081199").keySet()), aet);

            String study = files.get(0).getParent().getParent().getFileName().toString();
            String series = files.get(0).getParent().getFileName().toString();
            Set<String> found = Findscu.find(aet, Findscu.port(aet), "IMAGE", "StudyInstanceUID=" + study,
                    "SeriesInstanceUID=" + series, "SOPInstanceUID").stream().map(m -> m.get("00080018"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(sent, found, aet + ": findscu finds what was reported stored");

            HttpResponse<byte[]> back = Http.getBytes(Http.GATEWAY + "/aets/" + aet + "/studies/" + study,
                    "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
            assertEquals(200, back.statusCode());
            List<Multipart.Part> parts = Multipart.parts(back.body(),
                    Multipart.boundary(back.headers().firstValue("Content-Type").orElseThrow()));
            assertEquals(25, parts.size());
            for (Path file : files) {
                byte[] expected = Multipart.dataSet(Files.readAllBytes(file));
                assertTrue(parts.stream().anyMatch(p -> Arrays.equals(expected, Multipart.dataSet(p.body()))),
                        aet + ": " + file.getFileName() + " comes back identical");
            }
        }
    }

    @Test
    void aCorruptPartFailsAloneWith202() throws Exception {
        List<Path> files = generate("mixed", 2);
        byte[] truncated = Arrays.copyOf(Files.readAllBytes(files.get(1)), 700); // meta, then a cut data set
        HttpResponse<String> response = post("/aets/DCMQRSCP/studies", "application/dicom", dicom(files.get(0)),
                new Part("application/dicom", truncated), new Part("text/plain", "hello".getBytes()));
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(Set.of(uidOf(files.get(0))), items(json(response), "00081199").keySet());
        List<JsonObject> failed = allItems(json(response), "00081198");
        assertEquals(2, failed.size(), response.body());
        assertEquals(uidOf(files.get(1)), sopInstanceUid(failed.get(0)));
        assertEquals(0xC000, failureReason(failed.get(0)));
        assertEquals("", sopInstanceUid(failed.get(1)), "the text part has no UIDs to report");
        assertEquals(0xC000, failureReason(failed.get(1)));
        assertTrue(response.headers().allValues("Warning").contains(
                "299 dicomweb-gateway \"part 3 is text/plain, not application/dicom\""), response.headers().toString());
    }

    /** A part declared application/dicom that is not DICOM at all is a FailedSOPSequence item with empty UIDs. */
    @Test
    void aPartThatIsNotDicomIsListedAsFailed() throws Exception {
        Path file = generate("not-dicom", 1).get(0);
        HttpResponse<String> response = post("/aets/ORTHANC/studies", "application/dicom", dicom(file),
                new Part("application/dicom", "this is no DICOM instance".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(Set.of(uidOf(file)), items(json(response), "00081199").keySet());
        List<JsonObject> failed = allItems(json(response), "00081198");
        assertEquals(1, failed.size(), response.body());
        assertEquals("", sopInstanceUid(failed.get(0)));
        assertFalse(failed.get(0).getJsonObject("00081150").containsKey("Value"), "no SOP Class UID either");
        assertEquals(0xC000, failureReason(failed.get(0)));
        assertTrue(response.headers().allValues("Warning").stream().anyMatch(w -> w.contains("part 2")),
                response.headers().toString());
    }

    /**
     * 150 failures in one request: each is in the body, and the Warning headers are capped (Undertow refuses a 128th
     * value of one header and the answer became a 500).
     */
    @Test
    void everyOneOfManyFailuresIsInTheAnswer() throws Exception {
        Part[] parts = new Part[150];
        Arrays.fill(parts, new Part("text/plain", "not an instance".getBytes(StandardCharsets.US_ASCII)));
        HttpResponse<String> response = post("/aets/ORTHANC/studies", "application/dicom", parts);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(150, allItems(json(response), "00081198").size());
        List<String> warnings = response.headers().allValues("Warning");
        assertTrue(warnings.size() <= 20 && warnings.get(warnings.size() - 1).contains("131 more failures"),
                warnings.toString());
    }

    /**
     * The PACS stops while 200 instances are uploaded: the answer still lists every part, once, as stored or failed,
     * and every instance reported stored is in the PACS once it is back.
     */
    @Test
    void thePacsStoppingMidwayLeavesEveryPartAccountedFor() throws Exception {
        List<Path> files = generate("pacs-dies", 200);
        HttpResponse<String> response;
        try {
            // The client stops Orthanc after 40 parts, and sends the other 160 once it is down.
            response = CLIENT.send(HttpRequest.newBuilder(URI.create(Http.GATEWAY + "/aets/ORTHANC/studies"))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY)
                    .header("Accept", "application/dicom+json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PartsStream(files, 40,
                            () -> TestPeers.stop("orthanc"))))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } finally {
            TestPeers.start("orthanc");
        }
        assertTrue(response.statusCode() == 202 || response.statusCode() == 409,
                response.statusCode() + " " + response.body());
        Set<String> stored = items(json(response), "00081199").keySet();
        Set<String> failed = items(json(response), "00081198").keySet();
        assertTrue(failed.size() > 0, "some parts went to a stopped PACS");
        Set<String> all = new TreeSet<>(stored);
        all.addAll(failed);
        assertEquals(stored.size() + failed.size(), all.size(), "no part is both stored and failed");
        assertEquals(files.stream().map(StowIT::uidOf).collect(Collectors.toCollection(TreeSet::new)), all,
                "every part is in the answer");
        String study = files.get(0).getParent().getParent().getFileName().toString();
        Set<String> found = Findscu.find("ORTHANC", TestPeers.ORTHANC_PORT, "IMAGE", "StudyInstanceUID=" + study,
                "SOPInstanceUID").stream().map(m -> m.get("00080018")).collect(Collectors.toSet());
        assertTrue(found.containsAll(stored), "reported stored but not in Orthanc: "
                + stored.stream().filter(uid -> !found.contains(uid)).toList());
    }

    /** A multipart body read from the files as the client sends it; runs {@code midway} once {@code after} parts are out. */
    private static final class PartsStream extends java.io.InputStream {
        private final java.util.Iterator<Path> files;
        private final int after;
        private final Runnable midway;
        private int sent;
        private java.io.InputStream current = java.io.InputStream.nullInputStream();
        private boolean ended;

        PartsStream(List<Path> files, int after, Runnable midway) {
            this.files = files.iterator();
            this.after = after;
            this.midway = midway;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            while (true) {
                int n = current.read(buffer, offset, length);
                if (n >= 0) {
                    return n;
                }
                if (sent++ == after) {
                    midway.run();
                }
                if (files.hasNext()) {
                    current = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(("\r\n--" + BOUNDARY
                            + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII)),
                            Files.newInputStream(files.next()));
                } else if (!ended) {
                    ended = true;
                    current = new java.io.ByteArrayInputStream(("\r\n--" + BOUNDARY + "--\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                } else {
                    return -1;
                }
            }
        }
    }

    /**
     * Parts above gateway.stow.memory-part-kb (2 MiB by default) wait in a temporary file rather than in memory: a
     * 3 MiB instance (a generated one with 2.5 MiB of random Encapsulated Document added, which Orthanc keeps) takes
     * that path, is stored whole and comes back identical; its file is deleted (checked after each test).
     */
    @Test
    void aLargeInstanceIsStoredWhole() throws Exception {
        Path file = generate("large", 1).get(0);
        byte[] blob = new byte[5 << 19];
        new java.util.Random(7).nextBytes(blob);
        Path blobFile = Files.write(work.resolve("blob"), blob);
        TestPeers.run("dcmodify", "-nb", "-if", "(0042,0011)=" + blobFile, file.toString());
        HttpResponse<String> response = post("/aets/ORTHANC/studies", "application/dicom", dicom(file));
        assertEquals(200, response.statusCode(), response.body());
        HttpResponse<byte[]> back = Http.getBytes(Http.GATEWAY + "/aets/ORTHANC/studies/"
                + file.getParent().getParent().getFileName() + "/series/" + file.getParent().getFileName()
                + "/instances/" + uidOf(file), "Accept", "multipart/related; type=\"application/dicom\"");
        List<Multipart.Part> parts = Multipart.parts(back.body(),
                Multipart.boundary(back.headers().firstValue("Content-Type").orElseThrow()));
        assertEquals(1, parts.size());
        assertArrayEquals(Multipart.dataSet(Files.readAllBytes(file)), Multipart.dataSet(parts.get(0).body()));
    }

    @Test
    void anInstanceOfAnotherStudyIsRefused() throws Exception {
        Path file = generate("other-study", 1).get(0);
        HttpResponse<String> response = post("/aets/ORTHANC/studies/1.2.3.4", "application/dicom", dicom(file));
        assertEquals(409, response.statusCode(), response.body());
        JsonObject failed = items(json(response), "00081198").get(uidOf(file));
        assertEquals(0xC409, failed.getJsonObject("00081197").getJsonArray("Value").getInt(0));
        assertTrue(Findscu.find("ORTHANC", TestPeers.ORTHANC_PORT, "IMAGE",
                "SOPInstanceUID=" + uidOf(file)).isEmpty(), "nothing was stored");
    }

    /** A SOP Instance UID of 66 characters would be stored and then be refused by WADO-RS: it is refused here. */
    @Test
    void anInstanceWhoseUidIsNotAUidIsRefusedNeverStored() throws Exception {
        Path file = generate("long-uid", 1).get(0);
        String longUid = "1.2.840.99999." + "1".repeat(52);
        TestPeers.run("dcmodify", "-nb", "-m", "(0008,0018)=" + longUid, file.toString());
        HttpResponse<String> response = post("/aets/ORTHANC/studies", "application/dicom", dicom(file));
        assertEquals(409, response.statusCode(), response.body());
        JsonObject failed = items(json(response), "00081198").get(longUid);
        assertEquals(0xC000, failureReason(failed), response.body());
        assertTrue(response.headers().allValues("Warning").stream().anyMatch(w -> w.contains("66 characters long")),
                response.headers().toString());
        assertTrue(Findscu.find("ORTHANC", TestPeers.ORTHANC_PORT, "IMAGE",
                "SOPInstanceUID=" + longUid).isEmpty(), "nothing was stored");
    }

    @Test
    void aSopClassThePacsRefusesIs409NeverStored() throws Exception {
        Path file = generate("refused", 1).get(0);
        TestPeers.run("dcmodify", "-nb", "-m", "(0008,0016)=1.2.3.4.5.999", file.toString());
        HttpResponse<String> response = post("/aets/DCMQRSCP/studies", "application/dicom", dicom(file));
        assertEquals(409, response.statusCode(), response.body());
        JsonObject failed = items(json(response), "00081198").get(uidOf(file));
        assertEquals(0x0122, failed.getJsonObject("00081197").getJsonArray("Value").getInt(0));
        assertEquals(Map.of(), items(json(response), "00081199"));
    }

    @Test
    void theStoreResponseInXmlWhenAskedFor() throws Exception {
        Path file = generate("xml", 1).get(0);
        HttpResponse<String> response = post("/aets/ORTHANC/studies", "application/dicom", "application/dicom+xml",
                dicom(file));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/dicom+xml", response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains("<NativeDicomModel xmlns=\"http://dicom.nema.org/PS3.19/models/NativeDICOM\">"));
        assertTrue(response.body().contains("<DicomAttribute tag=\"00081155\" vr=\"UI\" keyword=\"ReferencedSOPInstanceUID\">"
                + "<Value number=\"1\">" + uidOf(file) + "</Value></DicomAttribute>"), response.body());
    }

    @Test
    void wrongTypesAndMalformedBodies() throws Exception {
        Path file = generate("types", 1).get(0);
        assertEquals(415, post("/aets/ORTHANC/studies", "application/dicom+json", dicom(file)).statusCode());
        HttpResponse<String> empty = CLIENT.send(HttpRequest.newBuilder(URI.create(Http.GATEWAY
                + "/aets/ORTHANC/studies"))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofString("this is not a multipart body")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, empty.statusCode(), empty.body());
        assertEquals(404, post("/aets/NOPE/studies", "application/dicom", dicom(file)).statusCode());
    }
}
