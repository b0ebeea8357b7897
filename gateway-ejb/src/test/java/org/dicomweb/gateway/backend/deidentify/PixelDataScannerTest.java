package org.dicomweb.gateway.backend.deidentify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The scanner finds the pixel data where PixelMed's reader stops (the way InstanceFile locates it), whatever the
 * chunks the bytes come in: on the project's samples (native, and every compressed syntax codec-samples.sh made),
 * and on dcmtk's conversions of one of them to Implicit VR LE and Explicit VR BE.
 */
class PixelDataScannerTest {

    private static final int[] CHUNKS = {1, 7, 1000, 65536, Integer.MAX_VALUE};

    @TempDir
    Path work;

    @Test
    void findsThePixelDataWherePixelMedStopsInEverySample() throws Exception {
        Path samples = TestPeers.projectRoot().resolve("work/samples");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(samples.resolve("2x2x5"))) {
            walk.filter(Files::isRegularFile).limit(4).forEach(files::add);
        }
        Path codecs = samples.resolve("codecs");
        if (Files.isDirectory(codecs)) {
            try (Stream<Path> walk = Files.walk(codecs, 2)) {
                walk.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(".dcm")).limit(40).forEach(files::add);
            }
        }
        Path first = files.get(0);
        files.add(convert(first, "+ti", "implicit.dcm"));
        files.add(convert(first, "+tb", "big-endian.dcm"));
        assertTrue(files.size() >= 6, "samples found: " + files);
        for (Path file : files) {
            long expected = pixelMedStop(file);
            assertTrue(expected > 0, file + " has pixel data");
            byte[] bytes = Files.readAllBytes(file);
            for (int chunk : CHUNKS) {
                assertEquals(expected, scanInChunks(bytes, chunk), file + " in chunks of " + chunk);
            }
        }
    }

    @Test
    void findsNoPixelDataInAnInstanceWithout() throws Exception {
        Path file = TestPeers.projectRoot().resolve("work/samples/1x1x1-ISO_IR_100");
        try (Stream<Path> walk = Files.walk(file)) {
            file = walk.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        Path stripped = work.resolve("no-pixels.dcm");
        Files.copy(file, stripped);
        run("dcmodify", "-nb", "-ea", "(7fe0,0010)", stripped.toString());
        assertEquals(PixelDataScanner.MORE, scanInChunks(Files.readAllBytes(stripped), 100));
    }

    private static long scanInChunks(byte[] bytes, int chunk) throws IOException {
        PixelDataScanner scanner = new PixelDataScanner();
        for (int end = Math.min(chunk, bytes.length); ; end = (int) Math.min((long) end + chunk, bytes.length)) {
            long found = scanner.scan(bytes, end);
            if (found != PixelDataScanner.MORE || end == bytes.length) {
                return found;
            }
        }
    }

    private static long pixelMedStop(Path file) throws IOException, DicomException {
        AttributeList list = new AttributeList();
        long[] stoppedAt = {-1};
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            list.read(new DicomInputStream(in), (read, tag, bytesRead) -> {
                boolean stop = read == list && tag.getGroup() >= 0x7FE0;
                if (stop) {
                    stoppedAt[0] = bytesRead - 4;
                }
                return stop;
            });
        }
        return stoppedAt[0];
    }

    private Path convert(Path file, String option, String name) throws Exception {
        Path converted = work.resolve(name);
        run("dcmconv", option, file.toString(), converted.toString());
        return converted;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " timed out");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    }
}
