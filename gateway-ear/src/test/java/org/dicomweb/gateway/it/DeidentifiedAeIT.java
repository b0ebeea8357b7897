package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.core.deid.BasicProfile;
import org.dicomweb.gateway.core.deid.Deidentification;
import org.dicomweb.gateway.core.deid.DeidentificationOptions;
import org.dicomweb.gateway.core.deid.KeyedHashPseudonyms;
import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * ORTHANC-DEID (wildfly-config/loopback-peers.cli: ORTHANC through the basic profile, the test secret) against the
 * samples Orthanc holds: QIDO-RS shows no original identifier and the pseudonyms the profile gives (so the same on
 * every request, and after a restart, being keyed hashes of the configured secret); matching on an identifier is
 * refused; instances, metadata, frames and rendered images come de-identified with the pixel data unchanged; an
 * instance with burned-in annotation is refused; a retrieval task delivers de-identified instances; STOW-RS is refused.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeidentifiedAeIT extends DeployedGatewayAndPeers {

    private static final String AET = "ORTHANC-DEID";
    private static final String ORTHANC = "http://127.0.0.1:18042";
    private static final String ORTHANC_DEST = "http://127.0.0.1:18043";
    private static final String MULTIPART_DICOM = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final Deidentification PROFILE = profile();

    private static String study;
    private static String series;
    private static String instance;
    /** A study of its own, stored for this test: a 2.25 UID (the decimal of a random UUID). */
    private static final String BURNED_STUDY = "2.25." + new BigInteger(UUID.randomUUID().toString().replace("-", ""),
            16);
    private static final String BURNED_SERIES = BURNED_STUDY + ".1";
    private static final String BURNED = BURNED_SERIES + ".1";
    private static final String CLEAN = BURNED_SERIES + ".2";

    private static Deidentification profile() {
        byte[] secret = TestPeers.DEIDENTIFY_SECRET.getBytes(StandardCharsets.UTF_8);
        return BasicProfile.of(AET, new DeidentificationOptions(false, false, false, false, false, Set.of(), false),
                secret, new KeyedHashPseudonyms(secret, AET));
    }

    @BeforeAll
    static void samples() throws Exception {
        Path work = Files.createTempDirectory("deidentified-ae-it");
        study = SampleStudies.studies().get(0);
        series = SampleStudies.series(study).get(0);
        instance = SampleStudies.instances(study, series).get(0);
        Path source = SampleStudies.ROOT.resolve(study).resolve(series);
        byte[][] parts = new byte[2][];
        String[] uids = {BURNED, CLEAN};
        for (int i = 0; i < 2; i++) {
            Path copy = work.resolve("burned-" + i + ".dcm");
            Files.copy(source.resolve(SampleStudies.instances(study, series).get(i) + ".dcm"), copy);
            run("dcmodify", "-nb", "-m", "StudyInstanceUID=" + BURNED_STUDY, "-m", "SeriesInstanceUID="
                    + BURNED_SERIES, "-m", "SOPInstanceUID=" + uids[i], "-i", "BurnedInAnnotation="
                    + (i == 0 ? "YES" : "NO"), copy.toString());
            parts[i] = Files.readAllBytes(copy);
            Files.delete(copy);
        }
        Files.delete(work);
        Stow.Answer stored = Stow.post("ORTHANC", Stow.Part.dicom(parts[0]), Stow.Part.dicom(parts[1]));
        assertEquals(200, stored.status(), stored.body());
        // A client knows only the pseudonyms it was shown: the list of studies first, as a viewer starts.
        assertEquals(200, Http.get(url("/studies")).status());
    }

    @AfterAll
    static void removeWhatWasAdded() {
        deleteStudy(ORTHANC, BURNED_STUDY);
        deleteStudy(ORTHANC_DEST, PROFILE.uid(study));
    }

    private static void deleteStudy(String orthanc, String studyUid) {
        Http.Reply found = Http.send("POST", orthanc + "/tools/lookup", "text/plain", studyUid);
        for (JsonValue match : found.json().asJsonArray()) {
            if (match.asJsonObject().getString("Type").equals("Study")) {
                Http.send("DELETE", orthanc + "/studies/" + match.asJsonObject().getString("ID"), null, null);
            }
        }
    }

    private static String url(String path) {
        return Http.GATEWAY + "/aets/" + AET + path;
    }

    private static JsonArray search(String path) {
        Http.Reply reply = Http.get(url(path));
        assertEquals(200, reply.status(), path + ": " + reply.body());
        return reply.json().asJsonArray();
    }

    private static String value(JsonObject match, String tag) {
        JsonObject attribute = match.getJsonObject(tag);
        return attribute == null || !attribute.containsKey("Value") ? "" : attribute.getJsonArray("Value").get(0)
                .toString().replace("\"", "");
    }

    @Test
    void searchesShowPseudonymsAndNoOriginalIdentifier() {
        JsonArray original = Http.get(Http.GATEWAY + "/aets/ORTHANC/studies?StudyInstanceUID=" + study
                + "&includefield=PatientID,PatientName").json().asJsonArray();
        String patientId = value(original.getJsonObject(0), "00100020");
        String studies = Http.get(url("/studies?includefield=PatientID,PatientName")).body();
        assertFalse(studies.contains(study), "no original study UID");
        assertFalse(studies.contains("\"" + patientId + "\""), "no original PatientID " + patientId);
        JsonArray matches = search("/studies?StudyInstanceUID=" + PROFILE.uid(study)
                + "&includefield=PatientID,PatientName");
        assertEquals(1, matches.size(), matches.toString());
        JsonObject match = matches.getJsonObject(0);
        assertEquals(PROFILE.uid(study), value(match, "0020000D"));
        assertFalse(value(match, "00100020").equals(patientId));
        assertEquals(url("/studies/" + PROFILE.uid(study)), value(match, "00081190"), "RetrieveURL by pseudonym");
        assertEquals(matches, search("/studies?StudyInstanceUID=" + PROFILE.uid(study)
                + "&includefield=PatientID,PatientName"), "the same pseudonyms on every request");

        Set<String> instances = search("/studies/" + PROFILE.uid(study) + "/instances").stream()
                .map(i -> value(i.asJsonObject(), "00080018")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(SampleStudies.instances(study).stream().map(PROFILE::uid)
                .collect(Collectors.toCollection(TreeSet::new)), instances);
    }

    @Test
    void refusesMatchingOnIdentifiersAndFindsNothingForAnUnknownPseudonym() {
        Http.Reply byPatient = Http.get(url("/studies?PatientID=X"));
        assertEquals(400, byPatient.status());
        assertTrue(byPatient.body().contains("PatientID"), byPatient.body());
        assertEquals(400, Http.get(url("/studies?PatientName=Doe*")).status());
        assertEquals(204, Http.get(url("/studies?StudyInstanceUID=2.25.1")).status());
        assertEquals(204, Http.get(url("/studies/" + study + "/series")).status(), "an original UID is unknown here");
        assertEquals(404, Http.getBytes(url("/studies/" + study), "Accept", MULTIPART_DICOM).statusCode());
    }

    @Test
    void retrievesInstancesDeidentifiedWithTheirPixelData() throws Exception {
        HttpResponse<byte[]> response = Http.getBytes(url("/studies/" + PROFILE.uid(study)), "Accept",
                MULTIPART_DICOM);
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        List<Multipart.Part> parts = Multipart.parts(response.body(),
                Multipart.boundary(response.headers().firstValue("Content-Type").orElseThrow()));
        assertEquals(SampleStudies.instances(study).size(), parts.size());
        for (Multipart.Part part : parts) {
            AttributeList passed = read(part.body());
            String pseudonym = Attribute.getSingleStringValueOrEmptyString(passed, TagFromName.SOPInstanceUID);
            String original = SampleStudies.instances(study).stream().filter(o -> PROFILE.uid(o).equals(pseudonym))
                    .findFirst().orElseThrow(() -> new AssertionError(pseudonym + " is no pseudonym of the study"));
            AttributeList sample = read(Files.readAllBytes(sampleFile(original)));
            assertEquals("YES", Attribute.getSingleStringValueOrEmptyString(passed,
                    TagFromName.PatientIdentityRemoved));
            assertFalse(Attribute.getSingleStringValueOrEmptyString(sample, TagFromName.PatientID).equals(
                    Attribute.getSingleStringValueOrEmptyString(passed, TagFromName.PatientID)));
            assertArrayEquals(sample.get(TagFromName.PixelData).getByteValues(false),
                    passed.get(TagFromName.PixelData).getByteValues(false), "pixel data as stored");
        }
    }

    @Test
    void servesMetadataFramesAndRenderedImagesUnderPseudonyms() throws Exception {
        String instanceUrl = "/studies/" + PROFILE.uid(study) + "/series/" + PROFILE.uid(series) + "/instances/"
                + PROFILE.uid(instance);
        Http.Reply metadata = Http.get(url("/studies/" + PROFILE.uid(study) + "/metadata"));
        assertEquals(200, metadata.status(), metadata.body());
        assertFalse(metadata.body().contains(study), "no original study UID in the metadata");
        assertTrue(metadata.body().contains(url(instanceUrl)), "BulkDataURIs at this AE, by pseudonyms");
        assertEquals(SampleStudies.instances(study).size(), metadata.json().asJsonArray().size());

        HttpResponse<byte[]> frames = Http.getBytes(url(instanceUrl + "/frames/1"), "Accept",
                "multipart/related; type=\"application/octet-stream\"");
        assertEquals(200, frames.statusCode());
        byte[] frame = Multipart.parts(frames.body(), Multipart.boundary(frames.headers().firstValue("Content-Type")
                .orElseThrow())).get(0).body();
        byte[] pixels = read(Files.readAllBytes(sampleFile(instance))).get(TagFromName.PixelData)
                .getByteValues(false);
        assertArrayEquals(pixels, frame, "frame 1 of a single-frame sample is its pixel data");

        HttpResponse<byte[]> rendered = Http.getBytes(url(instanceUrl + "/rendered"), "Accept", "image/jpeg");
        assertEquals(200, rendered.statusCode());
        assertEquals("image/jpeg", rendered.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> thumbnail = Http.getBytes(url("/studies/" + PROFILE.uid(study) + "/thumbnail"),
                "Accept", "image/jpeg");
        assertEquals(200, thumbnail.statusCode());
    }

    @Test
    void refusesAnInstanceWithBurnedInAnnotation() throws Exception {
        String studyUrl = "/studies/" + PROFILE.uid(BURNED_STUDY);
        HttpResponse<byte[]> retrieved = Http.getBytes(url(studyUrl), "Accept", MULTIPART_DICOM);
        assertEquals(200, retrieved.statusCode());
        String type = retrieved.headers().firstValue("Content-Type").orElseThrow();
        List<Multipart.Part> parts = Multipart.parts(retrieved.body(), Multipart.boundary(type));
        assertEquals(1, parts.size());
        assertEquals(PROFILE.uid(CLEAN), Attribute.getSingleStringValueOrEmptyString(read(parts.get(0).body()),
                TagFromName.SOPInstanceUID));
        String body = new String(retrieved.body(), StandardCharsets.ISO_8859_1);
        assertTrue(body.contains("instance " + PROFILE.uid(BURNED) + " refused"), "named in the epilogue");

        String refusedUrl = studyUrl + "/series/" + PROFILE.uid(BURNED_SERIES) + "/instances/" + PROFILE.uid(BURNED);
        Http.Reply frames = Http.get(url(refusedUrl + "/frames/1"));
        assertEquals(409, frames.status(), frames.body());
        assertTrue(frames.body().contains("BurnedInAnnotation") || frames.body().contains("burned"), frames.body());
        assertEquals(409, Http.getBytes(url(refusedUrl + "/rendered"), "Accept", "image/jpeg").statusCode());
    }

    @Test
    void aRetrievalTaskDeliversDeidentifiedInstances() {
        String taskId = "deid-" + UUID.randomUUID();
        TaskClient.submit(TaskClient.request(taskId, "deid-batch", AET, "ORTHANC-DEST", PROFILE.uid(study), null),
                201);
        JsonObject task = TaskClient.awaitEnd(taskId);
        assertEquals("COMPLETED", task.getString("state"), task.toString());
        Http.Reply delivered = Http.get(ORTHANC_DEST + "/dicom-web/studies/" + PROFILE.uid(study)
                + "/instances?includefield=00100020");
        assertEquals(200, delivered.status(), delivered.body());
        Set<String> expected = SampleStudies.instances(study).stream().map(PROFILE::uid)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> found = delivered.json().asJsonArray().stream().map(i -> value(i.asJsonObject(), "00080018"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, found);
        assertFalse(delivered.body().contains(study), "no original UID reached the destination");
    }

    @Test
    void countsItsRequestsUnderItsOwnBackend() {
        double before = Prometheus.scrape().sum("dicomweb_gateway_http_requests_seconds_count", "aet", AET,
                "backend", "deidentify");
        assertEquals(200, Http.get(url("/studies?limit=1")).status());
        Prometheus after = Prometheus.scrape();
        assertTrue(after.sum("dicomweb_gateway_http_requests_seconds_count", "aet", AET, "backend", "deidentify")
                >= before + 1, after.gatewayLines());
    }

    @Test
    void refusesStowRs() throws Exception {
        Stow.Answer answer = Stow.post(AET, Stow.Part.dicom(Files.readAllBytes(sampleFile(instance))));
        assertEquals(409, answer.status(), answer.body());
        assertTrue(answer.body().contains("de-identifying"), answer.body());
    }

    private static Path sampleFile(String sop) {
        for (String s : SampleStudies.series(study)) {
            if (SampleStudies.instances(study, s).contains(sop)) {
                return SampleStudies.ROOT.resolve(study).resolve(s).resolve(sop + ".dcm");
            }
        }
        throw new AssertionError("no sample " + sop);
    }

    private static AttributeList read(byte[] part10) throws Exception {
        AttributeList list = new AttributeList();
        list.read(new DicomInputStream(new ByteArrayInputStream(part10)));
        return list;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    }
}
