package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * Interoperability with a DICOMweb client nobody here wrote: runs the interop/*.test.mjs files (npm dicomweb-client,
 * the client of OHIF, under node --test) against the EAR in WildFly, with the real Orthanc and dcmqrscp behind it, and
 * checks each file's exact TAP test count for its AE list (the count rule is in each file's header).
 * Needs node on the PATH and the client installed (scripts/test.sh runs npm ci --prefix interop).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DicomwebClientIT extends DeployedGatewayAndPeers {

    /**
     * The AEs every file runs against: the C-GET Orthanc, dcmqrscp (C-MOVE), the same Orthanc by C-MOVE, the same
     * Orthanc through its own DICOMweb (the DICOMweb proxy backend), and the S3 backend's AE.
     */
    private static final String ALL_AETS = "ORTHANC,DCMQRSCP,ORTHANC-MOVE,ORTHANC-WEB,S3";
    private static final long TIMEOUT_SECONDS = 300;
    private static final Pattern SUMMARY = Pattern.compile("(?m)^# (tests|pass|fail|cancelled|skipped|todo) (\\d+)$");

    /**
     * The interop files expect the 2x2x5 samples in every AE, and more than two studies (qido.test.mjs): scripts/test.sh
     * loads them into the PACS; into S3 they go here, through the gateway's STOW-RS, with the one-study Latin-1 set
     * (S3 overwrites a duplicate, so storing them again is harmless).
     */
    @BeforeAll
    static void peersUpAndSamplesInS3() {
        Stow.samples("S3", SampleStudies.ROOT);
        Stow.samples("S3", TestPeers.projectRoot().resolve("work/samples/1x1x1-ISO_IR_100"));
    }

    /**
     * QIDO-RS: 7 tests per AE (6 for ORTHANC-WEB, whose Orthanc does not percent-decode a name with ^: see
     * qido.test.mjs), 3 against Orthanc's own DICOMweb (ORTHANC-MOVE would repeat ORTHANC's searches).
     */
    @Test
    void dicomwebClientSearchesThroughTheGateway() throws IOException, InterruptedException {
        run("interop/qido.test.mjs", "ORTHANC,DCMQRSCP,ORTHANC-WEB,S3", 3 * 7 + 6 + 3);
    }

    /**
     * WADO-RS instance retrieval (3 tests per AE) and STOW-RS (2 per AE stored into: ORTHANC, DCMQRSCP, ORTHANC-WEB,
     * S3).
     */
    @Test
    void dicomwebClientRetrievesAndStoresThroughTheGateway() throws IOException, InterruptedException {
        run("interop/wado-stow.test.mjs", ALL_AETS, 5 * 3 + 4 * 2);
    }

    /** WADO-RS metadata, bulk data, frames, rendered and thumbnail: 6 tests per AE. */
    @Test
    void dicomwebClientReadsMetadataBulkDataAndFramesThroughTheGateway() throws IOException, InterruptedException {
        run("interop/metadata.test.mjs", ALL_AETS, 5 * 6);
    }

    /**
     * Frames of scripts/codec-samples.sh's 500-instance JPEG Lossless study, stored here into ORTHANC and S3 through
     * STOW-RS, read as native pixels (the gateway decodes them): 2 tests per AE.
     */
    @Test
    void dicomwebClientReadsFramesOfAJpegLosslessStudyAsNativePixels() throws IOException, InterruptedException {
        Path root = TestPeers.projectRoot();
        TestPeers.run("bash", root.resolve("scripts/codec-samples.sh").toString());
        List<Path> files;
        try (Stream<Path> list = Files.list(root.resolve("work/samples/codecs/jpeg-lossless-500"))) {
            files = list.sorted().toList();
        }
        for (String aet : List.of("ORTHANC", "S3")) {
            for (int from = 0; from < files.size(); from += 50) {
                Stow.Part[] parts = files.subList(from, Math.min(from + 50, files.size())).stream()
                        .map(f -> Stow.Part.dicom(bytes(f))).toArray(Stow.Part[]::new);
                Stow.Answer answer = Stow.post(aet, parts);
                assertEquals(200, answer.status(), aet + ": STOW-RS of the JPEG Lossless study: " + answer.body());
            }
        }
        run("interop/frames-transcoded.test.mjs", "ORTHANC,S3", 2 * 2);
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A de-identifying AE (ORTHANC-DEID): searches, metadata, bulk data, instances, frames and rendered images through
     * the basic profile, 6 tests (deidentified.test.mjs; the other files compare with the samples as stored).
     */
    @Test
    void dicomwebClientReadsADeidentifiedAe() throws IOException, InterruptedException {
        run("interop/deidentified.test.mjs", "ORTHANC-DEID", 6);
    }

    /** Runs one interop file for these AEs and checks that exactly {@code expectedTests} ran, and all passed. */
    private static void run(String file, String aets, int expectedTests) throws IOException, InterruptedException {
        Path root = TestPeers.projectRoot();
        assertTrue(Files.isDirectory(root.resolve("interop/node_modules/dicomweb-client")),
                "dicomweb-client is not installed: run npm ci --prefix interop in " + root);
        Path output = Files.createTempFile("interop", ".tap");
        try {
            String tap = node(root, output, aets, "--test", "--test-reporter=tap", file);
            Map<String, Integer> summary = new HashMap<>();
            Matcher m = SUMMARY.matcher(tap);
            while (m.find()) {
                summary.put(m.group(1), Integer.parseInt(m.group(2)));
            }
            assertEquals(expectedTests, summary.getOrDefault("tests", -1), file + ": tests run\n" + tap);
            assertEquals(expectedTests, summary.getOrDefault("pass", -1), file + ": tests passed\n" + tap);
            for (String other : List.of("fail", "cancelled", "skipped", "todo")) {
                assertEquals(0, summary.getOrDefault(other, -1), file + ": " + other + "\n" + tap);
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * Runs node in the project root with GATEWAY_URL and AETS set, its combined output going to a file (so a hung run can be
     * timed out); returns the output, fails the test with it if node exits non-zero or does not finish.
     */
    private static String node(Path root, Path output, String aets, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("GATEWAY_URL", Http.GATEWAY);
        builder.environment().put("AETS", aets);
        builder.environment().remove("NODE_OPTIONS");
        Process process = builder.start();
        boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        if (!finished) {
            fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s:\n" + text);
        }
        if (process.exitValue() != 0) {
            fail(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text);
        }
        return text;
    }
}
