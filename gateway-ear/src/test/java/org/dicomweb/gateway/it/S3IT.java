package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The S3 backend through the gateway: the AE S3 (bucket dicomweb on the loopback S3Proxy, prefix demo, index on the
 * PostgreSQL peer) holds the 2x2x5 samples, stored here through the gateway's STOW-RS, and instances the tests make
 * with new UIDs (the bucket and the index are shared with other tests and runs, so every assertion is about UIDs of
 * its own). What the gateway stored is read back from the bucket with the AWS SDK (S3Bucket); QIDO answers are
 * compared with ORTHANC's for the same samples; retrieved instances with the files sent.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class S3IT extends DeployedGatewayAndPeers {

    private static final String AE = Http.GATEWAY + "/aets/S3";
    private static final String ANY = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    private static final String REFERENCED_SOP_SEQUENCE = "00081199";
    private static final String FAILED_SOP_SEQUENCE = "00081198";
    private static final String PIXEL_DATA = "7FE00010";

    private static S3Bucket bucket;

    @BeforeAll
    static void samplesInS3() {
        Stow.samples("S3", SampleStudies.ROOT);
        bucket = new S3Bucket();
    }

    @AfterAll
    static void closeBucket() {
        bucket.close();
    }

    /** A Secondary Capture instance of a patient, with or without pixel data; elements in ascending tag order. */
    private record Instance(String study, String series, String sop, String patientId, String patientName,
            String studyDate, String modality, int number) {

        static Instance of(String study, String series, String patientId, String patientName, String studyDate,
                String modality, int number) {
            return new Instance(study, series, TestInstance.newUid(), patientId, patientName, studyDate, modality,
                    number);
        }

        TestInstance attributes() {
            return new TestInstance()
                    .text(0x00080016, "UI", SECONDARY_CAPTURE)
                    .text(0x00080018, "UI", sop)
                    .text(0x00080020, "DA", studyDate)
                    .text(0x00080060, "CS", modality)
                    .text(0x00100010, "PN", patientName)
                    .text(0x00100020, "LO", patientId)
                    .text(0x0020000D, "UI", study)
                    .text(0x0020000E, "UI", series)
                    .text(0x00200013, "IS", Integer.toString(number));
        }

        byte[] part10() {
            return attributes().part10(SECONDARY_CAPTURE, sop, EXPLICIT_LE);
        }

        /** With native 8-bit monochrome pixel data of {@code frames} frames of 2x2 pixels. */
        byte[] part10(byte[] pixels, int frames) {
            return attributes()
                    .us(0x00280002, 1)
                    .text(0x00280004, "CS", "MONOCHROME2")
                    .text(0x00280008, "IS", Integer.toString(frames))
                    .us(0x00280010, 2)
                    .us(0x00280011, 2)
                    .us(0x00280100, 8)
                    .us(0x00280101, 8)
                    .us(0x00280102, 7)
                    .us(0x00280103, 0)
                    .element(0x7FE00010, "OB", pixels)
                    .part10(SECONDARY_CAPTURE, sop, EXPLICIT_LE);
        }

        String key() {
            return S3Bucket.DEMO + "/" + study + "/" + series + "/" + sop;
        }

        String path() {
            return "/studies/" + study + "/series/" + series + "/instances/" + sop;
        }
    }

    private static JsonArray search(String path) {
        Http.Reply reply = Http.get(path.startsWith("http") ? path : AE + path);
        assertEquals(200, reply.status(), path + ": " + reply.body());
        return reply.json().asJsonArray();
    }

    private static String first(JsonObject match, String tag) {
        JsonObject element = match.getJsonObject(tag);
        assertNotNull(element, tag + " in " + match);
        JsonValue value = element.getJsonArray("Value").get(0);
        return switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> value.toString();
            default -> value.asJsonObject().getString("Alphabetic");
        };
    }

    private static List<String> values(JsonArray matches, String tag) {
        return matches.stream().map(m -> first(m.asJsonObject(), tag)).toList();
    }

    private static Set<String> sops(Stow.Answer answer, String sequence) {
        return answer.items(sequence).stream().map(i -> first(i, "00081155")).collect(Collectors.toSet());
    }

    private static List<Multipart.Part> parts(HttpResponse<byte[]> response) {
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        return Multipart.parts(response.body(),
                Multipart.boundary(response.headers().firstValue("Content-Type").orElseThrow()));
    }

    private static Path sampleFile(String study, String series, String sop) {
        return SampleStudies.ROOT.resolve(study).resolve(series).resolve(sop + ".dcm");
    }

    @Test
    void storedInstancesAreObjectsIdenticalToTheFilesWithTheirJsonBeside() throws IOException {
        for (String study : SampleStudies.studies()) {
            for (String series : SampleStudies.series(study)) {
                for (String sop : SampleStudies.instances(study, series)) {
                    String key = S3Bucket.DEMO + "/" + study + "/" + series + "/" + sop;
                    assertArrayEquals(Files.readAllBytes(sampleFile(study, series, sop)), bucket.require(key + ".dcm"),
                            key + ".dcm is the file as sent");
                    JsonObject json = Json.createReader(new StringReader(
                            new String(bucket.require(key + ".json"), StandardCharsets.UTF_8))).readObject();
                    assertEquals(sop, first(json, "00080018"), key + ".json is the instance's DICOM JSON");
                    assertFalse(json.getJsonObject(PIXEL_DATA).containsKey("InlineBinary"), "no bulk data inside");
                }
            }
        }
        String study = TestInstance.newUid();
        List<Instance> instances = List.of(
                Instance.of(study, TestInstance.newUid(), "S3IT-STORED", "STORED^ONE", "20240102", "OT", 1),
                Instance.of(study, TestInstance.newUid(), "S3IT-STORED", "STORED^ONE", "20240102", "OT", 1));
        Stow.Answer answer = Stow.post("S3", instances.stream().map(i -> Stow.Part.dicom(i.part10()))
                .toArray(Stow.Part[]::new));
        assertEquals(200, answer.status(), answer.body());
        assertEquals(instances.stream().map(Instance::sop).collect(Collectors.toSet()),
                sops(answer, REFERENCED_SOP_SEQUENCE));
        assertEquals(AE + "/studies/" + study, first(answer.json(), "00081190"), "the study's RetrieveURL");
        for (Instance instance : instances) {
            assertArrayEquals(instance.part10(), bucket.require(instance.key() + ".dcm"));
            assertTrue(bucket.get(instance.key() + ".json").isPresent(), instance.key() + ".json");
        }
        assertEquals(4, bucket.keys(S3Bucket.DEMO + "/" + study + "/").size(), "two objects per instance, no more");
    }

    @Test
    void qidoCountsAndMatchesOverTheIndex() {
        String tag = Long.toString(System.nanoTime(), 36).toUpperCase();
        String patient = "S3IT-" + tag;
        String name = "S3IT" + tag + "^PATIENT";
        String first = TestInstance.newUid();
        String second = TestInstance.newUid();
        String mr = TestInstance.newUid();
        List<Instance> instances = List.of(
                Instance.of(first, mr, patient, name, "20190315", "MR", 1),
                Instance.of(first, mr, patient, name, "20190315", "MR", 2),
                Instance.of(first, TestInstance.newUid(), patient, name, "20190315", "OT", 1),
                Instance.of(second, TestInstance.newUid(), patient, name, "20210610", "CT", 1));
        for (Instance instance : instances) { // one request each: the index receives them in this order
            Stow.Answer answer = Stow.post("S3", Stow.Part.dicom(instance.part10()));
            assertEquals(200, answer.status(), answer.body());
        }

        JsonArray studies = search("/studies?PatientID=" + patient);
        assertEquals(List.of(first, second), values(studies, "0020000D"), "both studies, in the order received");
        JsonObject firstStudy = studies.getJsonObject(0);
        assertEquals("2", first(firstStudy, "00201206"), "NumberOfStudyRelatedSeries");
        assertEquals("3", first(firstStudy, "00201208"), "NumberOfStudyRelatedInstances");
        assertEquals(Set.of("MR", "OT"), firstStudy.getJsonObject("00080061").getJsonArray("Value").stream()
                .map(v -> ((JsonString) v).getString()).collect(Collectors.toSet()), "ModalitiesInStudy");
        assertEquals(name, first(firstStudy, "00100010"));
        assertEquals(AE + "/studies/" + first, first(firstStudy, "00081190"));

        JsonArray series = search("/studies/" + first + "/series?Modality=MR");
        assertEquals(List.of(mr), values(series, "0020000E"));
        assertEquals("2", first(series.getJsonObject(0), "00201209"), "NumberOfSeriesRelatedInstances");
        assertEquals(2, search("/studies/" + first + "/series").size());
        assertEquals(instances.subList(0, 2).stream().map(Instance::sop).toList(),
                values(search("/studies/" + first + "/series/" + mr + "/instances"), "00080018"));
        assertEquals(3, search("/studies/" + first + "/instances").size());
        assertEquals(List.of(instances.get(1).sop()),
                values(search("/instances?PatientID=" + patient + "&InstanceNumber=2"), "00080018"),
                "instance level, matched on a study attribute and its own");

        assertEquals(List.of(first, second), values(search("/studies?PatientName=S3IT" + tag + "*"), "0020000D"),
                "a PatientName wildcard");
        assertEquals(List.of(first), values(search("/studies?PatientID=" + patient
                + "&StudyDate=20190101-20191231"), "0020000D"), "a StudyDate range");
        assertEquals(List.of(second), values(search("/studies?PatientID=" + patient + "&StudyDate=20200101-"),
                "0020000D"), "an open StudyDate range");
        assertEquals(List.of(second), values(search("/studies?PatientID=" + patient + "&ModalitiesInStudy=CT"),
                "0020000D"), "ModalitiesInStudy");
        assertEquals(List.of(first), values(search("/studies?PatientID=" + patient + "&limit=1"), "0020000D"));
        assertEquals(List.of(second), values(search("/studies?PatientID=" + patient + "&limit=1&offset=1"),
                "0020000D"), "offset counts matches");
        assertEquals(204, Http.get(AE + "/studies?PatientID=" + patient + "&offset=2").status(), "offset past all");

        Http.Reply unknown = Http.get(AE + "/studies?BodyPartExamined=CHEST");
        assertEquals(400, unknown.status(), unknown.body());
        assertTrue(unknown.body().contains("BodyPartExamined"), unknown.body());
        Http.Reply included = Http.get(AE + "/studies?PatientID=" + patient + "&includefield=BodyPartExamined");
        assertEquals(200, included.status(), included.body());
        assertTrue(included.warnings().stream().anyMatch(w -> w.startsWith("299 ")
                && w.contains("'BodyPartExamined' is not in the S3 index of S3")), included.warnings().toString());
        assertEquals(2, included.json().asJsonArray().size());
    }

    /** Attributes both QIDO answers hold are the same, for every level of every sample study. */
    @Test
    void qidoAnswersAsOrthancDoesForTheSameSamples() {
        List<String> studyTags = List.of("00080020", "00080030", "00080050", "00080061", "00080090", "00100010",
                "00100020", "00100030", "00100040", "0020000D", "00200010", "00201206", "00201208");
        List<String> seriesTags = List.of("0020000D", "00080060", "0008103E", "0020000E", "00200011", "00201209");
        List<String> instanceTags = List.of("0020000D", "0020000E", "00080016", "00080018", "00200013", "00280010",
                "00280011", "00280100");
        for (String study : SampleStudies.studies()) {
            String path = "/studies?StudyInstanceUID=" + study;
            sameAs(path, studyTags);
            sameAs("/studies/" + study + "/series", seriesTags);
            for (String series : SampleStudies.series(study)) {
                sameAs("/studies/" + study + "/series/" + series + "/instances", instanceTags);
            }
        }
    }

    /** The S3 answer has each of the tags for every match, with ORTHANC's value where ORTHANC gives one. */
    private static void sameAs(String path, List<String> tags) {
        String unique = path.contains("/series/") ? "00080018" : path.endsWith("/series") ? "0020000E" : "0020000D";
        var s3 = search(path).stream().map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(m -> first(m, unique), m -> m));
        var orthanc = search(Http.GATEWAY + "/aets/ORTHANC" + path).stream().map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(m -> first(m, unique), m -> m));
        assertEquals(orthanc.keySet(), s3.keySet(), path);
        int compared = 0;
        for (var match : s3.entrySet()) {
            JsonObject theirs = orthanc.get(match.getKey());
            for (String tag : tags) {
                assertTrue(match.getValue().containsKey(tag), path + ": S3 answers " + tag);
                if (theirs.containsKey(tag) && theirs.getJsonObject(tag).containsKey("Value")) {
                    assertEquals(theirs.getJsonObject(tag), match.getValue().getJsonObject(tag), path + " " + tag);
                    compared++;
                }
            }
        }
        assertTrue(compared >= s3.size() * tags.size() / 2, path + ": most attributes compared, " + compared);
    }

    @Test
    void wadoRetrievesTheFilesAsStoredAtEachLevel() throws IOException {
        String study = SampleStudies.studies().get(0);
        String series = SampleStudies.series(study).get(1);
        String sop = SampleStudies.instances(study, series).get(2);
        assertEquals(new TreeSet<>(SampleStudies.instances(study)), asStored("/studies/" + study));
        assertEquals(new TreeSet<>(SampleStudies.instances(study, series)),
                asStored("/studies/" + study + "/series/" + series));
        assertEquals(Set.of(sop), asStored("/studies/" + study + "/series/" + series + "/instances/" + sop));
        assertEquals(new TreeSet<>(SampleStudies.instances(study, series)), SampleStudies.retrieve("S3",
                "/studies/" + study + "/series/" + series, "multipart/related; type=\"application/dicom\"",
                EXPLICIT_LE), "the default transfer syntax, as the samples are stored");

        // JPEG Baseline is produced (8-bit), but these samples are 12-bit: each is left out and named (TranscodeIT)
        HttpResponse<byte[]> jpeg = Http.getBytes(AE + "/studies/" + study + "/series/" + series, "Accept",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50");
        String epilogue = new String(jpeg.body(), StandardCharsets.UTF_8);
        assertEquals(200, jpeg.statusCode(), epilogue);
        assertTrue(SampleStudies.instances(study, series).stream().allMatch(epilogue::contains),
                "names every instance: " + epilogue);
        HttpResponse<byte[]> missing = Http.getBytes(AE + "/studies/1.2.3.4.5.6", "Accept", ANY);
        assertEquals(404, missing.statusCode());
        assertTrue(new String(missing.body(), StandardCharsets.UTF_8).contains("1.2.3.4.5.6"));
    }

    /** transfer-syntax=*: every part is the whole sample file, byte for byte, with its stored transfer syntax. */
    private static Set<String> asStored(String path) throws IOException {
        Set<String> sops = new TreeSet<>();
        for (Multipart.Part part : parts(Http.getBytes(AE + path, "Accept", ANY))) {
            assertEquals("application/dicom; transfer-syntax=" + EXPLICIT_LE, part.contentType(), path);
            Path sample = SampleStudies.fileOf(part.body());
            assertArrayEquals(Files.readAllBytes(sample), part.body(), path + ": " + sample);
            assertTrue(sops.add(sample.getFileName().toString().replace(".dcm", "")), sample + " twice");
        }
        return sops;
    }

    @Test
    void seriesMetadataComesFromTheAggregateUntilTheSeriesChanges() {
        String study = TestInstance.newUid();
        String series = TestInstance.newUid();
        List<Instance> instances = List.of(
                Instance.of(study, series, "S3IT-META", "META^ORIGINAL", "20230101", "OT", 1),
                Instance.of(study, series, "S3IT-META", "META^ORIGINAL", "20230101", "OT", 2),
                Instance.of(study, series, "S3IT-META", "META^ORIGINAL", "20230101", "OT", 3));
        byte[] pixels = {1, 2, 3, 4};
        Stow.Answer stored = Stow.post("S3", instances.stream().map(i -> Stow.Part.dicom(i.part10(pixels, 1)))
                .toArray(Stow.Part[]::new));
        assertEquals(200, stored.status(), stored.body());
        String path = "/studies/" + study + "/series/" + series + "/metadata";
        String aggregateKey = S3Bucket.DEMO + "/" + study + "/" + series + "/metadata.json";
        assertTrue(bucket.get(aggregateKey).isEmpty(), "no aggregate before the first read");

        JsonArray firstRead = search(path);
        assertEquals(instances.stream().map(Instance::sop).toList(), values(firstRead, "00080018"));
        byte[] aggregate = bucket.require(aggregateKey);
        assertEquals(firstRead, search(path), "the same metadata the second time");
        for (int i = 0; i < instances.size(); i++) {
            assertEquals(AE + instances.get(i).path() + "/bulkdata/" + PIXEL_DATA,
                    firstRead.getJsonObject(i).getJsonObject(PIXEL_DATA).getString("BulkDataURI"),
                    "the gateway's own URL");
        }

        // A read of the aggregate alone shows what is in it: a changed name there is what the next read returns.
        String text = new String(aggregate, StandardCharsets.UTF_8);
        assertTrue(text.contains("META^ORIGINAL"), text);
        bucket.put(aggregateKey, text.replace("META^ORIGINAL", "META^AGGREGATE").getBytes(StandardCharsets.UTF_8));
        assertEquals(firstRead.toString().replace("META^ORIGINAL", "META^AGGREGATE"), search(path).toString(),
                "the second and later reads come from the aggregate");

        Instance added = Instance.of(study, series, "S3IT-META", "META^ORIGINAL", "20230101", "OT", 4);
        assertEquals(200, Stow.post("S3", Stow.Part.dicom(added.part10(pixels, 1))).status());
        JsonArray afterStore = search(path);
        assertEquals(List.of(instances.get(0).sop(), instances.get(1).sop(), instances.get(2).sop(), added.sop()),
                values(afterStore, "00080018"), "the stored instance is in the metadata: the digest changed");
        assertFalse(afterStore.toString().contains("META^AGGREGATE"), "read from the instances again");
        assertEquals(4, Json.createReader(new StringReader(new String(bucket.require(aggregateKey),
                StandardCharsets.UTF_8))).readArray().size(), "a new aggregate of the four");
    }

    @Test
    void bulkDataUriOfThePixelDataServesThePixelsOfTheFile() throws IOException {
        String study = SampleStudies.studies().get(1);
        String series = SampleStudies.series(study).get(0);
        String sop = SampleStudies.instances(study, series).get(0);
        String instancePath = "/studies/" + study + "/series/" + series + "/instances/" + sop;
        JsonArray metadata = search(instancePath + "/metadata");
        String bulk = metadata.getJsonObject(0).getJsonObject(PIXEL_DATA).getString("BulkDataURI");
        assertEquals(AE + instancePath + "/bulkdata/" + PIXEL_DATA, bulk);
        HttpResponse<byte[]> value = Http.getBytes(bulk, "Accept", "application/octet-stream");
        assertEquals(200, value.statusCode(), new String(value.body(), StandardCharsets.UTF_8));
        byte[] pixels = SampleValues.value(Files.readAllBytes(sampleFile(study, series, sop)), PIXEL_DATA);
        assertEquals(512 * 512 * 2, pixels.length);
        assertArrayEquals(pixels, value.body());
    }

    @Test
    void framesRenderedImagesAndThumbnails() throws IOException {
        String study = SampleStudies.studies().get(0);
        String series = SampleStudies.series(study).get(0);
        String sop = SampleStudies.instances(study, series).get(0);
        String instancePath = "/studies/" + study + "/series/" + series + "/instances/" + sop;
        String octets = "multipart/related; type=\"application/octet-stream\"";
        List<Multipart.Part> frame = parts(Http.getBytes(AE + instancePath + "/frames/1", "Accept", octets));
        assertEquals(1, frame.size());
        assertArrayEquals(SampleValues.value(Files.readAllBytes(sampleFile(study, series, sop)), PIXEL_DATA),
                frame.get(0).body(), "frame 1 is the sample's pixel data");

        // Three 2x2 frames of 8 bits: frames are at their offsets in the object (ranged GETs of native pixel data).
        byte[] pixels = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        Instance multiframe = Instance.of(TestInstance.newUid(), TestInstance.newUid(), "S3IT-FRAMES", "FRAMES^ONLY",
                "20230101", "OT", 1);
        assertEquals(200, Stow.post("S3", Stow.Part.dicom(multiframe.part10(pixels, 3))).status());
        List<Multipart.Part> frames = parts(Http.getBytes(AE + multiframe.path() + "/frames/3,1", "Accept", octets));
        assertEquals(2, frames.size());
        assertArrayEquals(Arrays.copyOfRange(pixels, 8, 12), frames.get(0).body(), "frame 3");
        assertArrayEquals(Arrays.copyOfRange(pixels, 0, 4), frames.get(1).body(), "frame 1");
        assertEquals(404, Http.getBytes(AE + multiframe.path() + "/frames/4", "Accept", octets).statusCode(),
                "no frame 4");

        for (String path : List.of(instancePath + "/rendered", instancePath + "/thumbnail",
                "/studies/" + study + "/series/" + series + "/thumbnail", "/studies/" + study + "/rendered")) {
            HttpResponse<byte[]> image = Http.getBytes(AE + path, "Accept", "image/jpeg");
            assertEquals(200, image.statusCode(), path + ": " + new String(image.body(), StandardCharsets.UTF_8));
            assertEquals("image/jpeg", image.headers().firstValue("Content-Type").orElseThrow(), path);
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.body()));
            assertNotNull(decoded, path + " decodes as a JPEG");
            assertTrue(decoded.getWidth() > 0 && decoded.getWidth() <= 512, path + ": " + decoded.getWidth());
            if (path.endsWith("/rendered")) {
                assertEquals(512, decoded.getWidth(), path + " at the sample's size");
            }
        }
    }

    @Test
    void aDuplicateIsReplacedOrRefusedAsConfigured() {
        Instance instance = Instance.of(TestInstance.newUid(), TestInstance.newUid(), "S3IT-DUP", "DUP^LICATE",
                "20230101", "OT", 1);
        for (int i = 0; i < 2; i++) {
            Stow.Answer answer = Stow.post("S3", Stow.Part.dicom(instance.part10()));
            assertEquals(200, answer.status(), "store " + (i + 1) + " (on-duplicate=overwrite): " + answer.body());
        }
        assertEquals(List.of(instance.sop()), values(search("/studies/" + instance.study() + "/instances"),
                "00080018"), "one instance, not two");
        assertEquals("1", first(search("/studies?StudyInstanceUID=" + instance.study()).getJsonObject(0),
                "00201208"), "counted once");

        String refuse = Http.GATEWAY + "/aets/S3-REFUSE";
        Stow.Answer firstStore = Stow.post("S3-REFUSE", Stow.Part.dicom(instance.part10()));
        assertEquals(200, firstStore.status(), firstStore.body());
        Stow.Answer again = Stow.post("S3-REFUSE", Stow.Part.dicom(instance.part10()));
        assertEquals(409, again.status(), again.body());
        JsonObject failed = again.items(FAILED_SOP_SEQUENCE).get(0);
        assertEquals(instance.sop(), first(failed, "00081155"));
        assertEquals(0x0111, failed.getJsonObject("00081197").getJsonArray("Value").getInt(0), "FailureReason 273");
        assertEquals(List.of(instance.sop()), values(search(refuse + "/studies/" + instance.study() + "/instances"),
                "00080018"));
        assertTrue(bucket.get("refuse/" + instance.study() + "/" + instance.series() + "/" + instance.sop() + ".dcm")
                .isPresent(), "S3-REFUSE keeps its objects under its own prefix");
    }

    @Test
    void aBadPartFailsAloneAndLeavesNothingBehind() {
        String study = TestInstance.newUid();
        String series = TestInstance.newUid();
        Instance good = Instance.of(study, series, "S3IT-BAD", "BAD^PART", "20230101", "OT", 1);
        Instance cut = Instance.of(study, series, "S3IT-BAD", "BAD^PART", "20230101", "OT", 2);
        byte[] whole = cut.part10();
        // Cut inside Patient Name: the file meta information and the SOP Instance UID are there, the rest is not.
        byte[] truncated = Arrays.copyOf(whole, Multipart.indexOf(whole, "BAD^PART".getBytes(StandardCharsets.US_ASCII),
                0) + 3);
        Stow.Part notDicom = new Stow.Part("application/dicom", "not a DICOM file".getBytes(StandardCharsets.US_ASCII));

        Stow.Answer mixed = Stow.post("S3", Stow.Part.dicom(good.part10()), Stow.Part.dicom(truncated), notDicom);
        assertEquals(202, mixed.status(), mixed.body());
        assertEquals(Set.of(good.sop()), sops(mixed, REFERENCED_SOP_SEQUENCE));
        assertEquals(2, mixed.items(FAILED_SOP_SEQUENCE).size(), mixed.body());
        assertEquals(List.of(good.sop()), values(search("/studies/" + study + "/instances"), "00080018"));
        assertEquals(204, Http.get(AE + "/instances?SOPInstanceUID=" + cut.sop()).status(), "the cut one is not indexed");
        assertEquals(List.of(good.key() + ".dcm", good.key() + ".json"), bucket.keys(S3Bucket.DEMO + "/" + study + "/"),
                "no object of the failed parts");

        Stow.Answer allBad = Stow.post("S3", Stow.Part.dicom(truncated),
                new Stow.Part("text/plain", "hello".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(409, allBad.status(), allBad.body());
        assertEquals(2, allBad.items(FAILED_SOP_SEQUENCE).size(), allBad.body());
        assertEquals(List.of(), allBad.items(REFERENCED_SOP_SEQUENCE));
        assertEquals(204, Http.get(AE + "/instances?SOPInstanceUID=" + cut.sop()).status());
    }
}
