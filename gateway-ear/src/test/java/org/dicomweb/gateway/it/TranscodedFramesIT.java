package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.dicomweb.gateway.core.transcode.CodecFixtures;
import org.dicomweb.gateway.core.transcode.RleCodec;
import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * Frames and renderings converted by the gateway's codecs, through ORTHANC (C-GET) and S3 alike: the compressed
 * samples of scripts/codec-samples.sh, stored here through STOW-RS, retrieved as native frames and compared with
 * dcmtk's decoding of the same files (lossless and JPEG-LS near-lossless byte-identical, JPEG baseline and extended
 * within 2 grey levels); native frames asked as RLE or JPEG baseline; what no codec decodes (JPEG 2000) a 406 naming
 * what the frames can be sent as.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TranscodedFramesIT extends DeployedGatewayAndPeers {

    private static final String OCTET_STREAM = "multipart/related; type=\"application/octet-stream\"";
    private static final String NATIVE_PART = "application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1";
    private static final List<String> SAMPLES = List.of("jpeg-baseline", "jpeg-baseline-rgb",
            "jpeg-baseline-ybr-full", "jpeg-lossless", "jpeg-lossless-14", "rle", "rle-rgb", "native-mono8",
            "jpeg-ls-lossless", "jpeg-ls-near", "jpeg2000", "jpeg2000-lossless", "jpeg-extended");

    @TempDir
    static Path work;

    @BeforeAll
    static void samplesStored() throws Exception {
        TestPeers.run("bash", TestPeers.projectRoot().resolve("scripts/codec-samples.sh").toString());
        for (String aet : List.of("ORTHANC", "S3")) {
            for (String sample : SAMPLES) {
                Stow.Answer answer = Stow.post(aet, Stow.Part.dicom(read(file(sample))));
                assertEquals(200, answer.status(), aet + ": STOW-RS of " + sample + ": " + answer.body());
            }
        }
    }

    private static Path file(String sample) {
        try {
            return CodecFixtures.sample(sample);
        } catch (Exception e) {
            throw new IllegalStateException("no sample " + sample, e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** studies/{study}/series/{series}/instances/{instance} of a sample file, at an AE. */
    private static String instanceUrl(String aet, String sample) {
        byte[] part10 = read(file(sample));
        return Http.GATEWAY + "/aets/" + aet + "/studies/" + uid(part10, "0020000D") + "/series/"
                + uid(part10, "0020000E") + "/instances/" + uid(part10, "00080018");
    }

    private static String uid(byte[] part10, String tag) {
        return new String(SampleValues.value(part10, tag), StandardCharsets.US_ASCII).replace("\0", "").trim();
    }

    private static List<Multipart.Part> parts(String url, String accept) {
        HttpResponse<byte[]> response = Http.getBytes(url, "Accept", accept);
        assertEquals(200, response.statusCode(), url + ": " + new String(response.body(), StandardCharsets.UTF_8));
        return Multipart.parts(response.body(),
                Multipart.boundary(response.headers().firstValue("Content-Type").orElseThrow()));
    }

    /**
     * Each sample's frame 1 asked as native frames; {@code held}: the AE's cache holds the instance as stored, so the
     * frame was decoded by the gateway. ORTHANC by C-GET sends only JPEG Baseline as held: the gateway proposes all
     * compressed syntaxes in one presentation context per SOP class, Orthanc accepts one of them (JPEG Baseline) and
     * sends the others decompressed by itself.
     */
    @ParameterizedTest
    @CsvSource({"ORTHANC, jpeg-lossless, 0, false", "ORTHANC, jpeg-lossless-14, 0, false", "ORTHANC, rle, 0, false",
            "ORTHANC, rle-rgb, 0, false", "ORTHANC, jpeg-baseline, 2, true", "ORTHANC, jpeg-baseline-rgb, 2, true",
            "ORTHANC, jpeg-baseline-ybr-full, 2, true", "ORTHANC, jpeg-ls-lossless, 0, false",
            "ORTHANC, jpeg-ls-near, 0, false", "ORTHANC, jpeg-extended, 2, false",
            "S3, jpeg-lossless, 0, true", "S3, jpeg-lossless-14, 0, true", "S3, rle, 0, true", "S3, rle-rgb, 0, true",
            "S3, jpeg-baseline, 2, true", "S3, jpeg-baseline-rgb, 2, true", "S3, jpeg-baseline-ybr-full, 2, true",
            "S3, jpeg-ls-lossless, 0, true", "S3, jpeg-ls-near, 0, true", "S3, jpeg-extended, 2, true"})
    void compressedFramesComeBackNativeAsDcmtkDecodesThem(String aet, String sample, int tolerance, boolean held)
            throws Exception {
        List<Multipart.Part> parts = parts(instanceUrl(aet, sample) + "/frames/1", OCTET_STREAM);
        assertEquals(1, parts.size());
        assertEquals(NATIVE_PART, parts.get(0).contentType());
        CodecFixtures.Instance reference = CodecFixtures.read(CodecFixtures.reference(file(sample), work));
        byte[] expected = reference.frames().get(0);
        if (tolerance == 0) {
            assertArrayEquals(expected, parts.get(0).body(), aet + " " + sample);
        } else {
            CodecFixtures.Error error = CodecFixtures.error(expected, parts.get(0).body(), reference.pixels());
            assertTrue(error.max() <= tolerance, aet + " " + sample + ": " + error);
        }
        if (held) {
            List<Multipart.Part> asHeld = parts(instanceUrl(aet, sample) + "/frames/1", OCTET_STREAM
                    + "; transfer-syntax=*");
            assertEquals("application/octet-stream; transfer-syntax=" + heldSyntax(sample),
                    asHeld.get(0).contentType(), "transfer-syntax=* keeps the frame as held");
            assertArrayEquals(CodecFixtures.read(file(sample)).frames().get(0), asHeld.get(0).body());
        }
    }

    private static String heldSyntax(String sample) throws IOException {
        return CodecFixtures.read(file(sample)).transferSyntax();
    }

    @ParameterizedTest
    @CsvSource({"ORTHANC", "S3"})
    void nativeFramesAreEncodedAsRleOrJpegBaseline(String aet) throws Exception {
        byte[] pixels = CodecFixtures.read(file("native-mono8")).frames().get(0);
        List<Multipart.Part> rle = parts(instanceUrl(aet, "native-mono8") + "/frames/1",
                "multipart/related; type=\"image/dicom-rle\"");
        assertEquals("image/dicom-rle; transfer-syntax=" + RleCodec.TRANSFER_SYNTAX, rle.get(0).contentType());
        assertArrayEquals(pixels, new RleCodec().decode(rle.get(0).body(),
                CodecFixtures.read(file("native-mono8")).pixels()));

        List<Multipart.Part> jpeg = parts(instanceUrl(aet, "native-mono8") + "/frames/1",
                "multipart/related; type=\"image/jpeg\"");
        assertEquals("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", jpeg.get(0).contentType());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg.get(0).body()));
        int[] decoded = image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
        int max = 0;
        for (int i = 0; i < decoded.length; i++) {
            max = Math.max(max, Math.abs(decoded[i] - (pixels[i] & 0xFF)));
        }
        assertTrue(max <= 18, "quality 90, as dcmcjpeg's on the same image (max abs error 18): " + max);
    }

    /** At S3, which holds what was stored (Orthanc would decompress JPEG 2000 itself for C-GET, as above). */
    @ParameterizedTest
    @CsvSource({"jpeg2000", "jpeg2000-lossless"})
    void framesNoCodecDecodesAre406NamingHowTheyAreHeld(String sample) {
        HttpResponse<byte[]> response = Http.getBytes(instanceUrl("S3", sample) + "/frames/1", "Accept",
                OCTET_STREAM);
        assertEquals(406, response.statusCode());
        String reason = new String(response.body(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("transfer-syntax=*") && reason.contains("cannot be converted"), reason);
    }

    @Test
    void aTwelveBitSliceAskedAsJpegBaselineIs406NamingWhatItConvertsTo() {
        HttpResponse<byte[]> response = Http.getBytes(instanceUrl("ORTHANC", "jpeg-lossless") + "/frames/1",
                "Accept", "multipart/related; type=\"image/jpeg\"; transfer-syntax=1.2.840.10008.1.2.4.50");
        assertEquals(406, response.statusCode(), "12 bits do not fit JPEG baseline");
        String reason = new String(response.body(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("image/dicom-rle") && reason.contains("application/octet-stream"), reason);
    }

    @ParameterizedTest
    @CsvSource({"ORTHANC", "S3"})
    void aJpegLosslessInstanceRendersAsItsNativeTwin(String aet) throws IOException {
        byte[] ct = read(CodecFixtures.ctSlice());
        String twin = Http.GATEWAY + "/aets/ORTHANC/studies/" + uid(ct, "0020000D") + "/series/"
                + uid(ct, "0020000E") + "/instances/" + uid(ct, "00080018");
        for (String resource : List.of("/rendered", "/thumbnail")) {
            assertArrayEquals(png(twin + resource), png(instanceUrl(aet, "jpeg-lossless") + resource), resource);
        }
    }

    private static int[] png(String url) throws IOException {
        HttpResponse<byte[]> response = Http.getBytes(url, "Accept", "image/png");
        assertEquals(200, response.statusCode(), url + ": " + new String(response.body(), StandardCharsets.UTF_8));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
