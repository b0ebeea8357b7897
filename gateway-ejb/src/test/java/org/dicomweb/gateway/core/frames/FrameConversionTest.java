package org.dicomweb.gateway.core.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.core.transcode.CodecFixtures;
import org.dicomweb.gateway.core.transcode.RleCodec;
import org.dicomweb.gateway.wado.Frames;
import org.dicomweb.gateway.wado.MultipartRelated;

/**
 * Frames of cached files converted as they are written: what each encoding converts to, and the parts written
 * against dcmtk's decoding of the same files (scripts/codec-samples.sh's samples).
 */
class FrameConversionTest {

    private static final Frames.Encoding NATIVE = new Frames.Encoding(Frames.NATIVE_MEDIA_TYPE,
            "1.2.840.10008.1.2.1");
    private static final Frames.Encoding RLE = new Frames.Encoding("image/dicom-rle", RleCodec.TRANSFER_SYNTAX);
    private static final Frames.Encoding JPEG = new Frames.Encoding("image/jpeg", "1.2.840.10008.1.2.4.50");

    @TempDir
    Path work;

    @Test
    void eachEncodingListsWhatItConvertsTo() throws Exception {
        assertEquals(List.of(NATIVE, RLE), transcodable("jpeg-lossless"), "12 bits: no JPEG Baseline");
        assertEquals(List.of(NATIVE, JPEG), transcodable("rle-rgb"));
        assertEquals(List.of(RLE, JPEG), transcodable("native-mono8"));
        assertEquals(List.of(), transcodable("jpeg2000"), "no codec");
        try (Frames frames = open("jpeg2000")) {
            assertThrows(IllegalArgumentException.class, () -> frames.transcodedTo(NATIVE));
        }
    }

    @Test
    void decodedFramesAreDcmtksDecoding() throws Exception {
        Path sample = CodecFixtures.sample("jpeg-lossless");
        byte[] reference = CodecFixtures.read(CodecFixtures.reference(sample, work)).frames().get(0);
        List<byte[]> parts = write(CachedFrames.open(InstanceFile.read(sample), List.of(1, 1), "sample")
                .transcodedTo(NATIVE), "application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
        assertEquals(2, parts.size());
        parts.forEach(part -> assertArrayEquals(reference, part));
    }

    @Test
    void lossyFramesConvertToRleLosslessly() throws Exception {
        Path sample = CodecFixtures.sample("jpeg-baseline-rgb");
        CodecFixtures.Instance compressed = CodecFixtures.read(sample);
        byte[] decoded = write(open("jpeg-baseline-rgb").transcodedTo(NATIVE), "part").get(0);
        byte[] rle = write(open("jpeg-baseline-rgb").transcodedTo(RLE), "part").get(0);
        assertArrayEquals(decoded, new RleCodec().decode(rle, compressed.pixels()
                .withPhotometricInterpretation("RGB", 0)), "RLE of the decoded frame");
    }

    private static List<Frames.Encoding> transcodable(String sample) throws Exception {
        try (Frames frames = open(sample)) {
            return frames.transcodable();
        }
    }

    private static Frames open(String sample) throws Exception {
        return CachedFrames.open(InstanceFile.read(CodecFixtures.sample(sample)), List.of(1), sample);
    }

    /** The frames written as a multipart body, split again into the parts' bodies. */
    private static List<byte[]> write(Frames frames, String partType) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        frames.writeTo(new MultipartRelated(body, "b0undary"), partType);
        byte[] bytes = body.toByteArray();
        byte[] delimiter = "--b0undary".getBytes(StandardCharsets.US_ASCII);
        byte[] headerEnd = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = new ArrayList<>();
        int at = indexOf(bytes, delimiter, 0);
        while (bytes[at + delimiter.length] != '-') {
            int start = indexOf(bytes, headerEnd, at) + headerEnd.length;
            int next = indexOf(bytes, delimiter, start);
            parts.add(Arrays.copyOfRange(bytes, start, next - 2));
            at = next;
        }
        assertTrue(parts.size() > 0, "parts written");
        return parts;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
