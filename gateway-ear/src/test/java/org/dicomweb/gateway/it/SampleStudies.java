package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The sample set scripts/test.sh loads into both PACS: work/samples/2x2x5/{study}/{series}/{sop}.dcm, i.e. what each
 * PACS must hold, known from the files themselves.
 */
final class SampleStudies {

    static final Path ROOT = TestPeers.projectRoot().resolve("work/samples/2x2x5");

    private SampleStudies() {
    }

    static List<String> studies() {
        return names(ROOT);
    }

    static List<String> series(String study) {
        return names(ROOT.resolve(study));
    }

    static List<String> instances(String study, String series) {
        return names(ROOT.resolve(study).resolve(series)).stream().map(n -> n.replace(".dcm", "")).toList();
    }

    static List<String> instances(String study) {
        return series(study).stream().flatMap(series -> instances(study, series).stream()).sorted().toList();
    }

    /** Retrieves and checks: each part a Part 10 instance whose data set is the sample file's; returns SOP UIDs. */
    static Set<String> retrieve(String aet, String path, String accept, String expectedTransferSyntax)
            throws IOException {
        HttpResponse<byte[]> response = Http.getBytes(Http.GATEWAY + "/aets/" + aet + path, "Accept", accept);
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        String type = response.headers().firstValue("Content-Type").orElseThrow();
        assertTrue(type.startsWith("multipart/related") && type.contains("type=\"application/dicom\""), type);
        Set<String> sops = new TreeSet<>();
        for (Multipart.Part part : Multipart.parts(response.body(), Multipart.boundary(type))) {
            assertEquals("application/dicom; transfer-syntax=" + expectedTransferSyntax, part.contentType());
            byte[] dataSet = Multipart.dataSet(part.body());
            Path sample = fileOf(part.body());
            assertArrayEquals(Multipart.dataSet(Files.readAllBytes(sample)), dataSet, aet + ": " + sample);
            assertTrue(sops.add(sample.getFileName().toString().replace(".dcm", "")), aet + ": " + sample
                    + " delivered twice");
        }
        return sops;
    }

    /** The sample file whose SOP Instance UID the part's file meta information names. */
    static Path fileOf(byte[] part10) {
        String meta = new String(part10, 132, 300, StandardCharsets.US_ASCII);
        for (String study : SampleStudies.studies()) {
            for (String series : SampleStudies.series(study)) {
                for (String sop : SampleStudies.instances(study, series)) {
                    if (meta.contains(sop + "\0") || meta.contains(sop + " ") || meta.contains(sop + "\u0002")) {
                        return SampleStudies.ROOT.resolve(study).resolve(series).resolve(sop + ".dcm");
                    }
                }
            }
        }
        throw new AssertionError("no sample file for the retrieved instance");
    }

    private static List<String> names(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("sample set missing: run scripts/test.sh (it loads " + ROOT + ")", e);
        }
    }
}
