package org.dicomweb.gateway.core.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttributeMultipleCompressedFrames;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.core.frames.FrameLayout;
import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * What the codec tests share: the project's samples, dcmtk/gdcm run as processes (the references), and the frames
 * of a file as the gateway cuts them ({@link FrameLayout}).
 */
public final class CodecFixtures {

    /** An instance's pixel description and its frames' bytes (a compressed frame's fragments joined). */
    public record Instance(PixelDescription pixels, String transferSyntax, List<byte[]> frames) {
    }

    private CodecFixtures() {
    }

    /** A 512×512 16-bit (12 stored) MONOCHROME2 CT slice of work/samples. */
    public static Path ctSlice() throws IOException {
        Path study = TestPeers.projectRoot().resolve("work/samples/1x1x1-ISO_IR_100");
        try (Stream<Path> files = Files.walk(study)) {
            return files.filter(f -> f.toString().endsWith(".dcm")).findFirst()
                    .orElseThrow(() -> new IOException("no sample under " + study + ": run scripts/test.sh once"));
        }
    }

    private static boolean samplesMade;

    /** A compressed sample of scripts/codec-samples.sh (made on first use: the script is idempotent). */
    public static synchronized Path sample(String name) throws Exception {
        Path root = TestPeers.projectRoot();
        if (!samplesMade) {
            run(Duration.ofMinutes(5), "bash", root.resolve("scripts/codec-samples.sh").toString());
            samplesMade = true;
        }
        return root.resolve("work/samples/codecs/" + name + "/" + name + ".dcm");
    }

    /** The reference decoder's native copy of a compressed file, by its transfer syntax: dcmtk's, else gdcm's. */
    public static Path reference(Path compressed, Path directory) throws Exception {
        String syntax = InstanceFile.read(compressed).transferSyntax();
        Path out = directory.resolve("reference-" + compressed.getFileName());
        if (syntax.equals(RleCodec.TRANSFER_SYNTAX)) {
            run("dcmdrle", compressed.toString(), out.toString());
        } else if (syntax.startsWith("1.2.840.10008.1.2.4.8")) {
            run("dcmdjpls", compressed.toString(), out.toString());
        } else if (syntax.startsWith("1.2.840.10008.1.2.4.9")) {
            run("gdcmconv", "--raw", compressed.toString(), out.toString());
        } else {
            run("dcmdjpeg", compressed.toString(), out.toString());
        }
        return out;
    }

    static void run(String... command) throws Exception {
        run(Duration.ofMinutes(1), command);
    }

    /** Runs a dcmtk/gdcm tool or a project script, which must succeed in time; its output names the failure. */
    static void run(Duration deadline, String... command) throws Exception {
        Path log = Files.createTempFile("codec-tool", ".log");
        try {
            // Output to a file, not a pipe: reading a pipe would wait for the tool without a deadline.
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            boolean ended = process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended, String.join(" ", command) + " did not end within " + deadline + ": " + output);
            assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        } finally {
            Files.delete(log);
        }
    }

    public static Instance read(Path file) throws IOException {
        InstanceFile instance = InstanceFile.read(file);
        FrameLayout layout = FrameLayout.of(instance, file.toString());
        List<byte[]> frames = new ArrayList<>();
        for (int n = 1; n <= layout.frames().size(); n++) {
            frames.add(layout.read(file, n));
        }
        return new Instance(PixelDescriptions.of(instance.dataSet()), instance.transferSyntax(), frames);
    }

    /** A copy of source with its pixel data replaced by these encapsulated frames, in the given transfer syntax. */
    static Path writeEncapsulated(Path source, List<byte[]> frames, PixelDescription pixels, String transferSyntax,
            Path target) throws Exception {
        AttributeList list = new AttributeList();
        list.read(source.toFile());
        list.remove(TagFromName.PixelData);
        list.remove(TagFromName.TransferSyntaxUID);
        com.pixelmed.dicom.Attribute photometric = new com.pixelmed.dicom.CodeStringAttribute(
                TagFromName.PhotometricInterpretation);
        photometric.addValue(pixels.photometricInterpretation());
        list.put(photometric);
        OtherByteAttributeMultipleCompressedFrames data = new OtherByteAttributeMultipleCompressedFrames(
                TagFromName.PixelData, frames.toArray(byte[][]::new));
        list.put(data);
        FileMetaInformation.addFileMetaInformation(list, transferSyntax, "TEST");
        list.write(target.toFile(), transferSyntax, true, true);
        return target;
    }

    /** How far two native frames of one description lie apart, sample by sample. */
    public record Error(int max, double mean) {
    }

    public static Error error(byte[] expected, byte[] actual, PixelDescription pixels) {
        assertEquals(expected.length, actual.length, "native frame lengths");
        int max = 0;
        long sum = 0;
        int step = pixels.bitsAllocated() == 16 ? 2 : 1;
        for (int i = 0; i + step - 1 < expected.length; i += step) {
            int e = step == 2 ? (expected[i] & 0xFF) | (expected[i + 1] & 0xFF) << 8 : expected[i] & 0xFF;
            int a = step == 2 ? (actual[i] & 0xFF) | (actual[i + 1] & 0xFF) << 8 : actual[i] & 0xFF;
            max = Math.max(max, Math.abs(e - a));
            sum += Math.abs(e - a);
        }
        return new Error(max, (double) sum / (expected.length / step));
    }
}
