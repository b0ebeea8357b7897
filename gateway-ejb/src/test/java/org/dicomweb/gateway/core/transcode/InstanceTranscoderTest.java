package org.dicomweb.gateway.core.transcode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transcoder against dcmtk on the project's samples: what it writes is compared element by element
 * ({@code dcmdump}) and pixel by pixel with what dcmconv, dcmcrle and dcmdrle make of the same files.
 */
class InstanceTranscoderTest {

    private static final String EXPLICIT_LE = TransferSyntax.ExplicitVRLittleEndian;
    private static final String IMPLICIT_LE = TransferSyntax.ImplicitVRLittleEndian;
    private static final String EXPLICIT_BE = TransferSyntax.ExplicitVRBigEndian;
    private static final String RLE = RleCodec.TRANSFER_SYNTAX;

    @TempDir
    Path work;

    @Test
    void writesTheNativeSyntaxesAsDcmconvDoes() throws Exception {
        Path source = CodecFixtures.ctSlice();
        for (String[] target : new String[][] {{IMPLICIT_LE, "+ti"}, {EXPLICIT_BE, "+tb"}}) {
            Path ours = transcode(source, target[0], "ours" + target[1] + ".dcm");
            Path theirs = work.resolve("dcmconv" + target[1] + ".dcm");
            CodecFixtures.run("dcmconv", target[1], source.toString(), theirs.toString());
            assertEquals(dump(theirs), dump(ours), target[0]);
            assertEquals(target[0], transferSyntax(ours));
            // and back: the pixels of the big-endian or implicit file are the original ones
            Path back = transcode(ours, EXPLICIT_LE, "back" + target[1] + ".dcm");
            assertArrayEquals(CodecFixtures.read(source).frames().get(0), CodecFixtures.read(back).frames().get(0));
            assertEquals(dump(source), dump(back));
        }
    }

    @Test
    void decodesRleAsDcmdrleDoes() throws Exception {
        Path source = CodecFixtures.ctSlice();
        Path rle = work.resolve("dcmcrle.dcm");
        CodecFixtures.run("dcmcrle", source.toString(), rle.toString());
        Path ours = transcode(rle, EXPLICIT_LE, "ours.dcm");
        Path theirs = work.resolve("dcmdrle.dcm");
        CodecFixtures.run("dcmdrle", rle.toString(), theirs.toString());
        assertEquals(dump(theirs), dump(ours));
        assertArrayEquals(CodecFixtures.read(theirs).frames().get(0), CodecFixtures.read(ours).frames().get(0));
    }

    @Test
    void encodesRleThatDcmdrleDecodesToTheOriginal() throws Exception {
        Path source = CodecFixtures.ctSlice();
        Path ours = transcode(source, RLE, "ours.dcm");
        assertEquals(RLE, transferSyntax(ours));
        Path decoded = work.resolve("decoded.dcm");
        CodecFixtures.run("dcmdrle", ours.toString(), decoded.toString());
        assertEquals(dump(source), dump(decoded));
        assertArrayEquals(CodecFixtures.read(source).frames().get(0), CodecFixtures.read(decoded).frames().get(0));
        // the data set around the pixels is dcmcrle's, fragments aside
        Path theirs = work.resolve("dcmcrle.dcm");
        CodecFixtures.run("dcmcrle", source.toString(), theirs.toString());
        assertEquals(withoutPixelItems(dump(theirs)), withoutPixelItems(dump(ours)));
    }

    /** Every lossless sample a codec decodes, element by element and pixel by pixel as its reference decoder has it. */
    @Test
    void decodesTheLosslessSamplesAsDcmtkDoes() throws Exception {
        for (String name : List.of("jpeg-lossless", "jpeg-lossless-14", "rle-rgb")) {
            Path sample = CodecFixtures.sample(name);
            Path theirs = CodecFixtures.reference(sample, work);
            Path ours = transcode(sample, EXPLICIT_LE, name + "-ours.dcm");
            // dcmtk writes 8-bit Pixel Data as OW, the transcoder as OB (PS3.5 8.1.2 allows both): bytes compared below
            assertEquals(withoutPixelData(dump(theirs)), withoutPixelData(dump(ours)), name);
            assertArrayEquals(CodecFixtures.read(theirs).frames().get(0), CodecFixtures.read(ours).frames().get(0),
                    name);
        }
    }

    /** JPEG lossless straight to RLE (decoded, then encoded): dcmdrle gives dcmdjpeg's pixels back. */
    @Test
    void jpegLosslessToRle() throws Exception {
        Path sample = CodecFixtures.sample("jpeg-lossless");
        Path ours = transcode(sample, RLE, "rle.dcm");
        Path decoded = work.resolve("decoded.dcm");
        CodecFixtures.run("dcmdrle", ours.toString(), decoded.toString());
        Path reference = CodecFixtures.reference(sample, work);
        assertArrayEquals(CodecFixtures.read(reference).frames().get(0), CodecFixtures.read(decoded).frames().get(0));
    }

    /** Lossy encoding is recorded (PS3.3 C.7.6.1.1.5): "01", the first frame's ratio, the method. */
    @Test
    void jpegBaselineEncodingMarksTheInstanceLossy() throws Exception {
        Path ours = transcode(CodecFixtures.sample("native-mono8"), TransferSyntax.JPEGBaseline, "baseline.dcm");
        List<String> dump = dump(ours);
        assertTrue(dump.contains("(0028,2110) CS [01]"), dump.toString());
        assertTrue(dump.contains("(0028,2114) CS [ISO_10918_1]"), dump.toString());
        String ratio = dump.stream().filter(line -> line.startsWith("(0028,2112) DS [")).findFirst().orElseThrow();
        assertTrue(Double.parseDouble(ratio.replaceAll(".*\\[|\\].*", "")) > 1, ratio);
        Path decoded = work.resolve("decoded.dcm");
        CodecFixtures.run("dcmdjpeg", ours.toString(), decoded.toString());
        PixelDescription pixels = CodecFixtures.read(decoded).pixels();
        CodecFixtures.Error error = CodecFixtures.error(
                CodecFixtures.read(CodecFixtures.sample("native-mono8")).frames().get(0),
                CodecFixtures.read(decoded).frames().get(0), pixels);
        assertTrue(error.mean() <= 2, error.toString()); // the codec's own accuracy is JpegCodecsTest's
    }

    @Test
    void multiFrameRleBothWaysOneFragmentPerFrame() throws Exception {
        Path source = multiFrame(7, work.resolve("multi.dcm"));
        Path ours = transcode(source, RLE, "ours.dcm");
        CodecFixtures.Instance encoded = CodecFixtures.read(ours);
        assertEquals(7, encoded.frames().size());
        Path decoded = work.resolve("decoded.dcm");
        CodecFixtures.run("dcmdrle", ours.toString(), decoded.toString());
        List<byte[]> original = CodecFixtures.read(source).frames();
        List<byte[]> back = CodecFixtures.read(decoded).frames();
        for (int i = 0; i < 7; i++) {
            assertArrayEquals(original.get(i), back.get(i), "frame " + (i + 1));
        }
        Path theirs = work.resolve("dcmcrle.dcm");
        CodecFixtures.run("dcmcrle", source.toString(), theirs.toString());
        List<byte[]> ourNative = CodecFixtures.read(transcode(theirs, IMPLICIT_LE, "native.dcm")).frames();
        for (int i = 0; i < 7; i++) {
            assertArrayEquals(original.get(i), ourNative.get(i), "frame " + (i + 1) + " of dcmcrle's");
        }
    }

    @Test
    void refusesWhatNoCodecEncodesBeforeWritingAnything() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(CodecFixtures.ctSlice())) {
            NotTranscodableException refused = assertThrows(NotTranscodableException.class,
                    () -> InstanceTranscoder.transcode(in, out, TransferSyntax.JPEG2000));
            assertTrue(refused.getMessage().contains(TransferSyntax.JPEG2000), refused.getMessage());
        }
        assertEquals(0, out.size());
    }

    /**
     * A 500-frame instance made as it is read, decoded from RLE to native: at no write has the transcoder read more
     * than the frames it wrote plus a few, so it never holds the instance.
     */
    @Test
    void streamsFiveHundredFramesHoldingAFewAtMost() throws Exception {
        int frames = 500;
        PixelDescription pixels = new PixelDescription(64, 64, 1, 16, 12, 11, 0, 0, "MONOCHROME2", frames);
        byte[] frame = new byte[(int) pixels.nativeFrameLength()];
        for (int i = 0; i < frame.length; i += 2) {
            frame[i] = (byte) (i / 2 % 64);
            frame[i + 1] = (byte) (i / 256 % 16);
        }
        byte[] rleFrame = new RleCodec().encode(frame, pixels);
        GeneratedInstance source = new GeneratedInstance(header(pixels, RLE), rleFrame, frames);
        long[] written = {0};
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                assertTrue(source.framesServed <= written[0] / frame.length + 3, source.framesServed
                        + " frames read, " + written[0] + " bytes written");
                written[0] += len;
            }
        };
        InstanceTranscoder.transcode(new BufferedInputStream(source, 8192), out, EXPLICIT_LE);
        assertEquals(frames, source.framesServed);
        assertTrue(written[0] > (long) frames * frame.length, written[0] + " bytes written");
    }

    private Path transcode(Path source, String target, String name) throws IOException {
        Path out = work.resolve(name);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(source));
                OutputStream file = Files.newOutputStream(out)) {
            InstanceTranscoder.transcode(in, file, target);
        }
        return out;
    }

    private static String transferSyntax(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile(), TagFromName.PixelData);
        return Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
    }

    /**
     * dcmdump's data set, value by value: lengths and the way sequences and items are delimited (explicit or
     * undefined length) are left out, since re-encoding may change them and a reader cannot tell.
     */
    static List<String> dump(Path file) throws Exception {
        Process process = new ProcessBuilder("dcmdump", "-q", file.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "dcmdump did not end");
        assertEquals(0, process.exitValue(), output);
        String dataSet = output.substring(output.indexOf("# Dicom-Data-Set"));
        return dataSet.lines().filter(line -> !line.startsWith("#"))
                .map(line -> line.replaceAll("\\s*#.*$", "").replaceAll("\\(Sequence with .* length", "(Sequence")
                        .replaceAll("\\(Item with .* length", "(Item").replace(" for re-encoding", "").strip())
                .toList();
    }

    private static List<String> withoutPixelData(List<String> dump) {
        return dump.stream().filter(line -> !line.startsWith("(7fe0,0010)")).toList();
    }

    private static List<String> withoutPixelItems(List<String> dump) {
        return dump.stream().filter(line -> !line.startsWith("(fffe,e000) pi")).toList();
    }

    /** The CT slice with {@code count} frames of it, each a little different. */
    private static Path multiFrame(int count, Path target) throws Exception {
        AttributeList list = new AttributeList();
        list.read(CodecFixtures.ctSlice().toFile());
        short[] one = list.get(TagFromName.PixelData).getShortValues();
        short[] all = new short[one.length * count];
        for (int f = 0; f < count; f++) {
            for (int i = 0; i < one.length; i++) {
                all[f * one.length + i] = (short) ((one[i] + 97 * f) & 0x0FFF);
            }
        }
        OtherWordAttribute pixelData = new OtherWordAttribute(TagFromName.PixelData);
        pixelData.setValues(all);
        list.put(pixelData);
        Attribute frames = AttributeFactory.newAttribute(TagFromName.NumberOfFrames);
        frames.addValue(count);
        list.put(frames);
        list.write(target.toFile(), EXPLICIT_LE, true, true);
        return target;
    }

    /** Preamble, meta and a data set up to (not including) the Pixel Data, for the described pixels. */
    private static byte[] header(PixelDescription pixels, String transferSyntax) throws Exception {
        AttributeList list = new AttributeList();
        list.read(CodecFixtures.ctSlice().toFile(), TagFromName.PixelData);
        list.remove(TagFromName.PixelData);
        list.removeMetaInformationHeaderAttributes();
        for (Object[] value : new Object[][] {{TagFromName.Rows, pixels.rows()}, {TagFromName.Columns,
                pixels.columns()}, {TagFromName.NumberOfFrames, pixels.numberOfFrames()}}) {
            Attribute attribute = AttributeFactory.newAttribute((com.pixelmed.dicom.AttributeTag) value[0]);
            attribute.addValue((Integer) value[1]);
            list.put(attribute);
        }
        FileMetaInformation.addFileMetaInformation(list, transferSyntax, "TEST");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        list.write(out, transferSyntax, true, true);
        return out.toByteArray();
    }

    /** A Part 10 header, then encapsulated Pixel Data of {@code count} copies of one fragment, made as it is read. */
    private static final class GeneratedInstance extends InputStream {
        private final byte[] header;
        private final byte[] fragment;
        private final int count;
        private byte[] current;
        private int at;
        private int part;
        int framesServed;

        GeneratedInstance(byte[] header, byte[] fragment, int count) {
            this.header = header;
            this.fragment = fragment;
            this.count = count;
            this.current = header;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            while (current != null && at == current.length) {
                current = advance();
                at = 0;
            }
            if (current == null) {
                return -1;
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }

        /** Pixel Data header and empty offset table; then item header, fragment, ... ; then the delimiter. */
        private byte[] advance() {
            part++;
            if (part == 1) {
                return new byte[] {(byte) 0xE0, 0x7F, 0x10, 0, 'O', 'B', 0, 0, -1, -1, -1, -1,
                        (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 0, 0, 0, 0};
            }
            int item = part - 2;
            if (item / 2 < count) {
                if (item % 2 == 1) {
                    framesServed++;
                    return fragment;
                }
                int length = fragment.length;
                return new byte[] {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, (byte) length,
                        (byte) (length >>> 8), (byte) (length >>> 16), (byte) (length >>> 24)};
            }
            if (item / 2 == count && item % 2 == 0) {
                return new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0};
            }
            return null;
        }
    }
}
