package org.dicomweb.gateway.core.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
final class CodecFixtures {

    /** An instance's pixel description and its frames' bytes (a compressed frame's fragments joined). */
    record Instance(PixelDescription pixels, String transferSyntax, List<byte[]> frames) {
    }

    private CodecFixtures() {
    }

    /** A 512×512 16-bit (12 stored) MONOCHROME2 CT slice of work/samples. */
    static Path ctSlice() throws IOException {
        Path study = TestPeers.projectRoot().resolve("work/samples/1x1x1-ISO_IR_100");
        try (Stream<Path> files = Files.walk(study)) {
            return files.filter(f -> f.toString().endsWith(".dcm")).findFirst()
                    .orElseThrow(() -> new IOException("no sample under " + study + ": run scripts/test.sh once"));
        }
    }

    /** Runs a dcmtk/gdcm/ImageMagick tool, which must succeed within a minute; its output names the failure. */
    static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    }

    static Instance read(Path file) throws IOException {
        InstanceFile instance = InstanceFile.read(file);
        FrameLayout layout = FrameLayout.of(instance, file.toString());
        List<byte[]> frames = new ArrayList<>();
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            for (List<FrameLayout.Region> regions : layout.frames()) {
                long length = regions.stream().mapToLong(FrameLayout.Region::length).sum();
                byte[] frame = new byte[Math.toIntExact(length)];
                int at = 0;
                for (FrameLayout.Region region : regions) {
                    in.seek(region.offset());
                    in.readFully(frame, at, (int) region.length());
                    at += (int) region.length();
                }
                frames.add(frame);
            }
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

    /** The largest absolute difference between two native frames of the same description (0 when identical). */
    static int maxAbsoluteError(byte[] expected, byte[] actual, PixelDescription pixels) {
        assertEquals(expected.length, actual.length, "native frame lengths");
        int max = 0;
        if (pixels.bitsAllocated() == 16) {
            for (int i = 0; i + 1 < expected.length; i += 2) {
                int e = (expected[i] & 0xFF) | (expected[i + 1] & 0xFF) << 8;
                int a = (actual[i] & 0xFF) | (actual[i + 1] & 0xFF) << 8;
                max = Math.max(max, Math.abs(e - a));
            }
        } else {
            for (int i = 0; i < expected.length; i++) {
                max = Math.max(max, Math.abs((expected[i] & 0xFF) - (actual[i] & 0xFF)));
            }
        }
        return max;
    }
}
