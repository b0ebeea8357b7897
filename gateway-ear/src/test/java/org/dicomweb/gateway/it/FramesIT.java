package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import javax.imageio.ImageIO;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * WADO-RS frames, rendered and thumbnail resources through the gateway (Orthanc by C-GET): frames compared with
 * Orthanc's own frames and with the bytes the instances were made of (the CT sample set, and instances this test
 * stores: native multi-frame, MONOCHROME1, JPEG baseline); rendered images decoded and measured. (Frames converted
 * by the gateway's codecs: TranscodedFramesIT.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FramesIT extends DeployedGatewayAndPeers {

    private static final String STUDIES = Http.GATEWAY + "/aets/ORTHANC/studies/";
    private static final String ORTHANC_STUDIES = "http://127.0.0.1:18042/dicom-web/studies/";
    private static final String OCTET_STREAM = "multipart/related; type=\"application/octet-stream\"";
    private static final String JPEG_FRAMES = "multipart/related; type=\"image/jpeg\"; transfer-syntax="
            + TestInstance.JPEG_BASELINE;

    /** Where the instances are written for storescu. */
    @TempDir
    static Path work;

    /**
     * The study this test stores, an instance per series: native multi-frame (MONOCHROME2), native MONOCHROME1, JPEG
     * baseline in one fragment, JPEG baseline multi-frame in two fragments per frame (with a Basic Offset Table), and
     * the same in one fragment per frame without one.
     */
    private static final String STUDY = TestInstance.newUid();
    private static final String MULTIFRAME = newInstancePath();
    private static final String MONOCHROME1 = newInstancePath();
    private static final String JPEG = newInstancePath();
    private static final String JPEG_MULTIFRAME = newInstancePath();
    private static final String JPEG_NO_OFFSET_TABLE = newInstancePath();
    private static final int ROWS = 8;
    private static final int COLUMNS = 16;
    private static final byte[][] FRAMES = new byte[3][ROWS * COLUMNS];
    private static final int RED = 0xE01010;
    private static final int GREEN = 0x10E010;
    private static final int BLUE = 0x1010E0;
    /** The JPEG instance's one fragment; the two frames of the multi-frame one, each the sum of its fragments. */
    private static byte[] jpegFragment;
    private static List<byte[]> jpegFrames;

    private static String newInstancePath() {
        return "series/" + TestInstance.newUid() + "/instances/" + TestInstance.newUid();
    }

    @BeforeAll
    static void storeTestInstances() throws IOException {
        for (int f = 0; f < FRAMES.length; f++) {
            for (int p = 0; p < ROWS * COLUMNS; p++) {
                FRAMES[f][p] = (byte) (f * 80 + p % COLUMNS * 3 + p / COLUMNS);
            }
        }
        jpegFragment = jpeg(RED, BLUE);
        jpegFrames = List.of(jpeg(RED, BLUE), jpeg(GREEN, GREEN));
        TestPeers.run("storescu", "-aec", "ORTHANC", TestPeers.HOST, "14242",
                write("multiframe.dcm", grayscale(MULTIFRAME, "MONOCHROME2", FRAMES)),
                write("monochrome1.dcm", grayscale(MONOCHROME1, "MONOCHROME1", new byte[][] {FRAMES[2]})));
        TestPeers.run("storescu", "-xy", "-aec", "ORTHANC", TestPeers.HOST, "14242",
                write("jpeg.dcm", jpegBaseline(JPEG, List.of(List.of(jpegFragment)), true)),
                write("jpeg-multiframe.dcm", jpegBaseline(JPEG_MULTIFRAME, jpegFrames.stream().map(
                        frame -> List.of(Arrays.copyOf(frame, 100), Arrays.copyOfRange(frame, 100, frame.length)))
                        .toList(), true)),
                write("jpeg-no-offset-table.dcm", jpegBaseline(JPEG_NO_OFFSET_TABLE,
                        jpegFrames.stream().map(List::of).toList(), false)));
    }

    private static String write(String name, byte[] part10) throws IOException {
        return Files.write(work.resolve(name), part10).toString();
    }

    private static TestInstance common(String path, String sopClass, String photometric, int frames) {
        String[] uids = path.split("/");
        return new TestInstance()
                .text(0x00080016, "UI", sopClass).text(0x00080018, "UI", uids[3]).text(0x00080060, "CS", "OT")
                .text(0x00100010, "PN", "FRAMES^TEST").text(0x00100020, "LO", "FRAMESIT")
                .text(0x0020000D, "UI", STUDY).text(0x0020000E, "UI", uids[1])
                .text(0x00200011, "IS", "1").text(0x00200013, "IS", "1")
                .us(0x00280002, photometric.startsWith("MONO") ? 1 : 3).text(0x00280004, "CS", photometric)
                .text(0x00280008, "IS", Integer.toString(frames));
    }

    /** Multi-frame Grayscale Byte Secondary Capture, 8 bits, window 128/256. */
    private static byte[] grayscale(String path, String photometric, byte[][] frames) {
        String sopClass = "1.2.840.10008.5.1.4.1.1.7.2";
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        Arrays.stream(frames).forEach(pixels::writeBytes);
        return common(path, sopClass, photometric, frames.length)
                .us(0x00280010, ROWS).us(0x00280011, COLUMNS).us(0x00280100, 8).us(0x00280101, 8)
                .us(0x00280102, 7).us(0x00280103, 0)
                // A fixed window, so that frames of brighter values render brighter.
                .text(0x00281050, "DS", "128").text(0x00281051, "DS", "256")
                .element(0x7FE00010, "OB", pixels.toByteArray())
                .part10(sopClass, path.split("/")[3], TestInstance.EXPLICIT_LE);
    }

    /** A JPEG baseline image made here, 64 × 48, left half and right half in two colours; padded to even length. */
    private static byte[] jpeg(int left, int right) throws IOException {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, x < 32 ? left : right);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", jpeg);
        return Arrays.copyOf(jpeg.toByteArray(), jpeg.size() + jpeg.size() % 2);
    }

    /** Multi-frame True Color Secondary Capture (YBR_FULL_422, as JPEG baseline has it) of those frames' fragments. */
    private static byte[] jpegBaseline(String path, List<List<byte[]>> frames, boolean offsetTable) {
        String sopClass = "1.2.840.10008.5.1.4.1.1.7.4";
        return common(path, sopClass, "YBR_FULL_422", frames.size()).us(0x00280006, 0)
                .us(0x00280010, 48).us(0x00280011, 64).us(0x00280100, 8).us(0x00280101, 8).us(0x00280102, 7)
                .us(0x00280103, 0)
                .encapsulated(frames, offsetTable)
                .part10(sopClass, path.split("/")[3], TestInstance.JPEG_BASELINE);
    }

    /** study/series/{se}/instances/{i} of the first CT sample instance. */
    private static String sampleInstance() {
        String study = SampleStudies.studies().get(0);
        String series = SampleStudies.series(study).get(0);
        return study + "/series/" + series + "/instances/" + SampleStudies.instances(study, series).get(0);
    }

    private static List<Multipart.Part> parts(String url, String accept) {
        HttpResponse<byte[]> response = Http.getBytes(url, "Accept", accept);
        assertEquals(200, response.statusCode(), url + ": " + new String(response.body(), StandardCharsets.UTF_8));
        return Multipart.parts(response.body(),
                Multipart.boundary(response.headers().firstValue("Content-Type").orElseThrow()));
    }

    private static List<byte[]> frames(String url, String accept) {
        return parts(url, accept).stream().map(Multipart.Part::body).toList();
    }

    @Test
    void aNativeFrameIsTheSampleFilesPixelDataAndOrthancsFrame() throws IOException {
        String instance = sampleInstance();
        String[] uids = instance.split("/");
        byte[] pixelData = SampleValues.value(Files.readAllBytes(SampleStudies.ROOT.resolve(uids[0])
                .resolve(uids[2]).resolve(uids[4] + ".dcm")), "7FE00010");
        List<Multipart.Part> gateway = parts(STUDIES + instance + "/frames/1", OCTET_STREAM);
        assertEquals(1, gateway.size());
        assertEquals("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1", gateway.get(0).contentType());
        assertArrayEquals(pixelData, gateway.get(0).body());
        assertArrayEquals(frames(ORTHANC_STUDIES + instance + "/frames/1", OCTET_STREAM).get(0), gateway.get(0).body());
        assertArrayEquals(pixelData, frames(STUDIES + instance + "/frames/1", OCTET_STREAM
                + "; transfer-syntax=*").get(0), "transfer-syntax=* takes the frames as held");
    }

    @Test
    void aFrameListGivesOnePartPerFrameInItsOrder() {
        List<byte[]> gateway = frames(STUDIES + STUDY + "/" + MULTIFRAME + "/frames/3,1,2", OCTET_STREAM);
        assertEquals(3, gateway.size());
        assertArrayEquals(FRAMES[2], gateway.get(0));
        assertArrayEquals(FRAMES[0], gateway.get(1));
        assertArrayEquals(FRAMES[1], gateway.get(2));
        List<byte[]> orthanc = frames(ORTHANC_STUDIES + STUDY + "/" + MULTIFRAME + "/frames/3,1,2", OCTET_STREAM);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(orthanc.get(i), gateway.get(i), "part " + i);
        }
    }

    @Test
    void badFrameListsAre400AndFramesBeyondTheCount404() {
        String frames = STUDIES + STUDY + "/" + MULTIFRAME + "/frames/";
        for (String bad : List.of("0", "a", "1,,2", "1,", "-1", "2,0")) {
            assertEquals(400, Http.getBytes(frames + bad, "Accept", OCTET_STREAM).statusCode(), bad);
        }
        assertEquals(404, Http.getBytes(frames + "4", "Accept", OCTET_STREAM).statusCode());
        assertEquals(404, Http.getBytes(frames + "1,4", "Accept", OCTET_STREAM).statusCode());
        assertEquals(404, Http.getBytes(STUDIES + sampleInstance() + "/frames/2", "Accept", OCTET_STREAM)
                .statusCode(), "a single-frame instance has frame 1 only");
    }

    @Test
    void aJpegBaselineFrameIsItsFragmentAsImageJpeg() {
        List<Multipart.Part> gateway = parts(STUDIES + STUDY + "/" + JPEG + "/frames/1",
                "multipart/related; type=\"image/jpeg\"");
        assertEquals(1, gateway.size());
        assertEquals("image/jpeg; transfer-syntax=" + TestInstance.JPEG_BASELINE, gateway.get(0).contentType());
        assertArrayEquals(jpegFragment, gateway.get(0).body());
        assertArrayEquals(frames(ORTHANC_STUDIES + STUDY + "/" + JPEG + "/frames/1", JPEG_FRAMES).get(0),
                gateway.get(0).body());
        assertArrayEquals(jpegFragment, frames(STUDIES + STUDY + "/" + JPEG + "/frames/1", OCTET_STREAM
                + "; transfer-syntax=*").get(0), "octet streams in any transfer syntax: the fragment");
    }

    @Test
    void compressedFramesAreCutByTheBasicOffsetTableOrOneFragmentEach() {
        // Not compared with Orthanc's frames: Orthanc 1.10 (DICOMweb plugin 1.7) went away on frames in two fragments.
        for (String instance : List.of(JPEG_MULTIFRAME, JPEG_NO_OFFSET_TABLE)) {
            List<byte[]> gateway = frames(STUDIES + STUDY + "/" + instance + "/frames/2,1",
                    "multipart/related; type=\"image/jpeg\"");
            assertEquals(2, gateway.size(), instance);
            assertArrayEquals(jpegFrames.get(1), gateway.get(0), instance);
            assertArrayEquals(jpegFrames.get(0), gateway.get(1), instance);
        }
    }

    @Test
    void framesNotHeldInAnAcceptedTypeAreConvertedOr406NamingWhatTheyCanBeSentAs() {
        List<Multipart.Part> jpegAsNative = parts(STUDIES + STUDY + "/" + JPEG + "/frames/1", OCTET_STREAM);
        assertEquals("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1",
                jpegAsNative.get(0).contentType());
        byte[] rgb = jpegAsNative.get(0).body();
        assertEquals(64 * 48 * 3, rgb.length, "decoded to RGB, colour-by-pixel");
        int left = (24 * 64 + 8) * 3;
        int right = (24 * 64 + 56) * 3;
        assertTrue((rgb[left] & 0xFF) > 150 && (rgb[left + 2] & 0xFF) < 100, "red on the left");
        assertTrue((rgb[right + 2] & 0xFF) > 150 && (rgb[right] & 0xFF) < 100, "blue on the right");

        HttpResponse<byte[]> nativeAsJpeg = Http.getBytes(STUDIES + sampleInstance() + "/frames/1", "Accept",
                JPEG_FRAMES);
        assertEquals(406, nativeAsJpeg.statusCode(), "16-bit frames have no JPEG baseline encoding");
        String reason = new String(nativeAsJpeg.body(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("application/octet-stream") && reason.contains("image/dicom-rle"), reason);
    }

    private static BufferedImage image(String url, String accept) {
        HttpResponse<byte[]> response = Http.getBytes(url, "Accept", accept);
        assertEquals(200, response.statusCode(), url + ": " + new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(accept, response.headers().firstValue("Content-Type").orElseThrow());
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
            assertNotNull(image, url + " does not decode as " + accept);
            return image;
        } catch (IOException e) {
            throw new AssertionError(url + " does not decode as " + accept, e);
        }
    }

    private static double meanGray(BufferedImage image) {
        long sum = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                sum += image.getRaster().getSample(x, y, 0);
            }
        }
        return (double) sum / (image.getWidth() * image.getHeight());
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    @Test
    void aRenderedInstanceDecodesAsJpegOrPngAtItsSizeOrFittingTheViewport() {
        String rendered = STUDIES + sampleInstance() + "/rendered";
        for (String type : List.of("image/jpeg", "image/png")) {
            BufferedImage image = image(rendered, type);
            assertEquals(List.of(512, 512), List.of(image.getWidth(), image.getHeight()), type);
            BufferedImage fitted = image(rendered + "?viewport=200,100", type);
            assertEquals(List.of(100, 100), List.of(fitted.getWidth(), fitted.getHeight()), type);
        }
        BufferedImage frame = image(STUDIES + STUDY + "/" + MULTIFRAME + "/frames/2/rendered?viewport=32,32",
                "image/png");
        assertEquals(List.of(32, 16), List.of(frame.getWidth(), frame.getHeight()));
    }

    @Test
    void theDataSetsWindowIsUsedUnlessAnotherIsAsked() {
        String rendered = STUDIES + sampleInstance() + "/rendered";
        // The CT samples say 40/400 (a soft tissue window).
        assertArrayEquals(pixels(image(rendered + "?window=40,400,linear", "image/png")),
                pixels(image(rendered, "image/png")));
        double bright = meanGray(image(rendered + "?window=-3000,400", "image/png"));
        double dark = meanGray(image(rendered + "?window=5000,400", "image/png"));
        double soft = meanGray(image(rendered, "image/png"));
        assertTrue(bright > soft && soft > dark, bright + " > " + soft + " > " + dark);
    }

    @Test
    void aSeriesOrStudyRendersAsItsMiddleInstanceOfItsFirstSeries() throws IOException {
        String study = SampleStudies.studies().get(1);
        String firstSeries = SampleStudies.series(study).stream()
                .min(Comparator.comparingInt((String s) -> number(study, s, instancesByNumber(study, s).get(0),
                        "00200011")).thenComparing(s -> s)).orElseThrow();
        for (String series : SampleStudies.series(study)) {
            List<String> ordered = instancesByNumber(study, series);
            String middle = ordered.get((ordered.size() - 1) / 2);
            String seriesUrl = STUDIES + study + "/series/" + series;
            int[] expected = pixels(image(seriesUrl + "/instances/" + middle + "/rendered", "image/png"));
            assertArrayEquals(expected, pixels(image(seriesUrl + "/rendered", "image/png")), series);
            if (series.equals(firstSeries)) {
                assertArrayEquals(expected, pixels(image(STUDIES + study + "/rendered", "image/png")));
            }
        }
    }

    private static List<String> instancesByNumber(String study, String series) {
        return SampleStudies.instances(study, series).stream()
                .sorted(Comparator.comparingInt((String i) -> number(study, series, i, "00200013"))
                        .thenComparing(i -> i))
                .toList();
    }

    private static int number(String study, String series, String instance, String tag) {
        try {
            byte[] file = Files.readAllBytes(SampleStudies.ROOT.resolve(study).resolve(series)
                    .resolve(instance + ".dcm"));
            return Integer.parseInt(new String(SampleValues.value(file, tag), StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void thumbnailsFitTheirViewportOr128Pixels() {
        String study = SampleStudies.studies().get(0);
        String series = SampleStudies.series(study).get(0);
        for (String url : List.of(STUDIES + study, STUDIES + study + "/series/" + series,
                STUDIES + sampleInstance(), STUDIES + sampleInstance() + "/frames/1")) {
            BufferedImage thumbnail = image(url + "/thumbnail", "image/jpeg");
            assertEquals(List.of(128, 128), List.of(thumbnail.getWidth(), thumbnail.getHeight()), url);
        }
        BufferedImage small = image(STUDIES + STUDY + "/" + JPEG + "/thumbnail?viewport=32,32", "image/png");
        assertEquals(List.of(32, 24), List.of(small.getWidth(), small.getHeight()));
    }

    @Test
    void aJpegBaselineSourceRendersInColourAndFramesRenderApart() {
        BufferedImage image = image(STUDIES + STUDY + "/" + JPEG + "/rendered", "image/png");
        assertEquals(List.of(64, 48), List.of(image.getWidth(), image.getHeight()));
        int left = image.getRGB(8, 24);
        int right = image.getRGB(56, 24);
        assertTrue((left >> 16 & 0xFF) > 150 && (left & 0xFF) < 100, "red on the left: " + Integer.toHexString(left));
        assertTrue((right & 0xFF) > 150 && (right >> 16 & 0xFF) < 100, "blue on the right: "
                + Integer.toHexString(right));

        BufferedImage green = image(STUDIES + STUDY + "/" + JPEG_MULTIFRAME + "/frames/2/rendered", "image/png");
        int pixel = green.getRGB(8, 24);
        assertTrue((pixel >> 8 & 0xFF) > 150 && (pixel >> 16 & 0xFF) < 100, "frame 2 is green: "
                + Integer.toHexString(pixel));

        String frames = STUDIES + STUDY + "/" + MULTIFRAME + "/frames/";
        double first = meanGray(image(frames + "1/rendered", "image/png"));
        double third = meanGray(image(frames + "3/rendered", "image/png"));
        assertTrue(third > first, "frame 3 holds brighter values than frame 1: " + third + " vs " + first);
        assertEquals(404, Http.getBytes(frames + "4/rendered").statusCode());
    }

    @Test
    void monochrome1RendersInvertedAgainstTheSameValuesInMonochrome2() {
        double monochrome2 = meanGray(image(STUDIES + STUDY + "/" + MULTIFRAME + "/frames/3/rendered", "image/png"));
        double monochrome1 = meanGray(image(STUDIES + STUDY + "/" + MONOCHROME1 + "/rendered", "image/png"));
        assertTrue(Math.abs(monochrome1 + monochrome2 - 255) < 2, monochrome1 + " + " + monochrome2 + " ≈ 255");
        assertTrue(monochrome2 - monochrome1 > 100, "the values are bright: " + monochrome2 + " vs " + monochrome1);
    }

    @Test
    void renderedRefusesBadParametersAndTypesItCannotProduce() {
        String rendered = STUDIES + sampleInstance() + "/rendered";
        for (String bad : List.of("quality=0", "quality=101", "viewport=a,b", "viewport=10", "window=40",
                "window=40,400,sigmoid", "window=40,0")) {
            assertEquals(400, Http.getBytes(rendered + "?" + bad).statusCode(), bad);
        }
        assertEquals(400, Http.getBytes(STUDIES + sampleInstance() + "/frames/1,2/rendered").statusCode());
        HttpResponse<byte[]> dicom = Http.getBytes(rendered, "Accept", "application/dicom");
        assertEquals(406, dicom.statusCode());
        String reason = new String(dicom.body(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("image/jpeg") && reason.contains("image/png"), reason);
        assertFalse(Arrays.equals(Http.getBytes(rendered + "?quality=10", "Accept", "image/jpeg").body(),
                Http.getBytes(rendered + "?quality=95", "Accept", "image/jpeg").body()), "quality is honoured");
    }
}
