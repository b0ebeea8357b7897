package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * WADO-RS metadata and bulk data through the gateway (Orthanc by C-GET), checked against Orthanc's own DICOMweb
 * metadata for the same instances and against the sample files the PACS was loaded with; and the instance cache:
 * metadata asked again is served with the PACS stopped.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MetadataIT extends DeployedGateway {

    private static final String AET = "ORTHANC";
    private static final String STUDIES = Http.GATEWAY + "/aets/" + AET + "/studies/";
    private static final String ORTHANC_STUDIES = "http://127.0.0.1:18042/dicom-web/studies/";

    /** The metadata array as objects by SOP Instance UID. */
    private static Map<String, JsonObject> metadata(String url) {
        Http.Reply reply = Http.get(url);
        assertEquals(200, reply.status(), url + ": " + reply.body());
        assertTrue(reply.contentType().startsWith("application/dicom+json"), reply.contentType());
        Map<String, JsonObject> bySop = new TreeMap<>();
        for (JsonValue value : (JsonArray) reply.json()) {
            JsonObject instance = value.asJsonObject();
            assertEquals(null, bySop.put(string(instance, "00080018"), instance), "an instance twice in " + url);
        }
        return bySop;
    }

    private static String string(JsonObject instance, String tag) {
        return instance.getJsonObject(tag).getJsonArray("Value").getString(0);
    }

    @Test
    void studyMetadataHasOrthancsAttributesAndValuesForEveryInstance() {
        for (String study : SampleStudies.studies()) {
            Map<String, JsonObject> gateway = metadata(STUDIES + study + "/metadata");
            Map<String, JsonObject> orthanc = metadata(ORTHANC_STUDIES + study + "/metadata");
            assertEquals(new TreeSet<>(SampleStudies.instances(study)), gateway.keySet());
            assertEquals(orthanc.keySet(), gateway.keySet());
            gateway.forEach((sop, instance) -> assertSameAttributes(orthanc.get(sop), instance, sop));
        }
    }

    /**
     * Same tags, same VRs, same values. Binary values are the one legitimate difference: each server names its own
     * BulkDataURI (its host, its path), and a server may inline a small value another gives by URI; so for them only
     * the VR and the presence of a value are compared (the bytes are checked against the files in
     * {@link #everyBulkDataUriResolvesToTheValueInTheSampleFile}). Numbers compare as the doubles they denote:
     * Orthanc writes a DS through a C++ double with 17 significant digits (0.976563 becomes 0.97656299999999996),
     * the gateway writes the decimal text as stored; both denote the same double.
     */
    private static void assertSameAttributes(JsonObject expected, JsonObject actual, String sop) {
        assertEquals(expected.keySet(), actual.keySet(), sop + ": attributes");
        for (String tag : expected.keySet()) {
            JsonObject want = expected.getJsonObject(tag);
            JsonObject got = actual.getJsonObject(tag);
            assertEquals(want.getString("vr"), got.getString("vr"), sop + " " + tag + ": VR");
            if (isBinary(want) || isBinary(got)) {
                assertEquals(isBinary(want), isBinary(got), sop + " " + tag + ": a binary value on one side only");
            } else {
                assertEquals(normalized(want), normalized(got), sop + " " + tag);
            }
        }
    }

    private static boolean isBinary(JsonObject attribute) {
        return attribute.containsKey("BulkDataURI") || attribute.containsKey("InlineBinary");
    }

    private static String normalized(JsonValue value) {
        return switch (value.getValueType()) {
            case NUMBER -> Double.toString(((JsonNumber) value).doubleValue());
            case ARRAY -> value.asJsonArray().stream().map(MetadataIT::normalized).toList().toString();
            case OBJECT -> new TreeMap<>(value.asJsonObject().entrySet().stream().collect(
                    Collectors.toMap(Map.Entry::getKey, e -> normalized(e.getValue())))).toString();
            default -> value.toString();
        };
    }

    @Test
    void seriesAndInstanceMetadataAreTheirPartOfTheStudys() {
        String study = SampleStudies.studies().get(1);
        Map<String, JsonObject> whole = metadata(STUDIES + study + "/metadata");
        for (String series : SampleStudies.series(study)) {
            Map<String, JsonObject> ofSeries = metadata(STUDIES + study + "/series/" + series + "/metadata");
            assertEquals(new TreeSet<>(SampleStudies.instances(study, series)), ofSeries.keySet());
            String sop = SampleStudies.instances(study, series).get(0);
            Map<String, JsonObject> ofInstance = metadata(STUDIES + study + "/series/" + series + "/instances/" + sop
                    + "/metadata");
            assertEquals(Map.of(sop, whole.get(sop)), ofInstance);
        }
    }

    @Test
    void everyBulkDataUriResolvesToTheValueInTheSampleFile() throws IOException {
        int resolved = 0;
        for (String study : SampleStudies.studies()) {
            for (JsonObject instance : metadata(STUDIES + study + "/metadata").values()) {
                Path sample = SampleStudies.ROOT.resolve(study).resolve(string(instance, "0020000E"))
                        .resolve(string(instance, "00080018") + ".dcm");
                byte[] file = Files.readAllBytes(sample);
                for (String uri : bulkDataUris(instance)) {
                    String tag = uri.substring(uri.lastIndexOf("/bulkdata/") + "/bulkdata/".length());
                    HttpResponse<byte[]> value = Http.getBytes(uri, "Accept", "application/octet-stream");
                    assertEquals(200, value.statusCode(), uri);
                    assertArrayEquals(SampleValues.value(file, tag), value.body(), uri);
                    resolved++;
                }
            }
        }
        int instances = SampleStudies.studies().stream().mapToInt(s -> SampleStudies.instances(s).size()).sum();
        assertTrue(resolved >= instances, "at least the pixel data of every instance is bulk data: " + resolved);
    }

    /** The BulkDataURIs of an instance's attributes (the sample files have no sequences). */
    private static List<String> bulkDataUris(JsonObject instance) {
        List<String> uris = new ArrayList<>();
        instance.values().stream().map(JsonValue::asJsonObject).filter(a -> a.containsKey("BulkDataURI"))
                .forEach(a -> uris.add(a.getString("BulkDataURI")));
        return uris;
    }

    @Test
    void bulkDataHonoursOneByteRange() throws IOException {
        String study = SampleStudies.studies().get(0);
        JsonObject instance = metadata(STUDIES + study + "/metadata").values().iterator().next();
        String uri = instance.getJsonObject("7FE00010").getString("BulkDataURI");
        byte[] pixels = SampleValues.value(Files.readAllBytes(SampleStudies.ROOT.resolve(study)
                .resolve(string(instance, "0020000E")).resolve(string(instance, "00080018") + ".dcm")), "7FE00010");

        HttpResponse<byte[]> middle = Http.getBytes(uri, "Range", "bytes=1000-1999");
        assertEquals(206, middle.statusCode());
        assertEquals("bytes 1000-1999/" + pixels.length, middle.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(pixels, 1000, 2000), middle.body());

        HttpResponse<byte[]> last = Http.getBytes(uri, "Range", "bytes=-10");
        assertEquals(206, last.statusCode());
        assertArrayEquals(Arrays.copyOfRange(pixels, pixels.length - 10, pixels.length), last.body());

        HttpResponse<byte[]> open = Http.getBytes(uri, "Range", "bytes=" + (pixels.length - 3) + "-");
        assertEquals(206, open.statusCode());
        assertArrayEquals(Arrays.copyOfRange(pixels, pixels.length - 3, pixels.length), open.body());

        HttpResponse<byte[]> beyond = Http.getBytes(uri, "Range", "bytes=" + pixels.length + "-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */" + pixels.length, beyond.headers().firstValue("Content-Range").orElseThrow());
    }

    @Test
    void metadataAskedAgainIsServedFromTheCacheWithThePacsStopped() {
        String study = SampleStudies.studies().get(0);
        Http.Reply first = Http.get(STUDIES + study + "/metadata");
        assertEquals(200, first.status(), first.body());
        String bulkDataUri = metadata(STUDIES + study + "/metadata").values().iterator().next()
                .getJsonObject("7FE00010").getString("BulkDataURI");
        TestPeers.stop("orthanc");
        try {
            // The control: a study the gateway has not cached cannot be had now, so the PACS really is unreachable.
            Http.Reply uncached = Http.get(STUDIES + "1.2.826.0.1.3680043.2.1125.404/metadata");
            assertTrue(uncached.status() == 502 || uncached.status() == 504, uncached.status() + " " + uncached.body());

            Http.Reply second = Http.get(STUDIES + study + "/metadata");
            assertEquals(200, second.status(), second.body());
            assertEquals(first.body(), second.body());
            assertEquals(200, Http.getBytes(bulkDataUri).statusCode());
        } finally {
            TestPeers.start("all");
        }
    }

    @Test
    void badRequestsAreRefusedWithTheirReason() {
        String study = SampleStudies.studies().get(0);
        String series = SampleStudies.series(study).get(0);
        String instance = STUDIES + study + "/series/" + series + "/instances/" + SampleStudies.instances(study,
                series).get(0);
        assertEquals(400, Http.get(STUDIES + "1..2/metadata").status());
        assertEquals(404, Http.get(STUDIES + study + "/series/" + series + "/instances/1.2.3/metadata").status());
        assertEquals(400, Http.get(instance + "/bulkdata/PIXELS").status());
        assertEquals(404, Http.get(instance + "/bulkdata/00091001").status());
        HttpResponse<byte[]> png = Http.getBytes(instance + "/metadata", "Accept", "image/png");
        assertEquals(406, png.statusCode());
        assertTrue(new String(png.body(), StandardCharsets.UTF_8).contains("application/dicom+json"),
                "406 names what would do");
    }
}
