package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * WADO-RS instances in a transfer syntax other than the one held: scripts/codec-samples.sh's compressed samples are
 * stored (as sent) into Orthanc and S3 through the gateway's STOW-RS, asked back as Explicit VR Little Endian and
 * compared pixel for pixel with what dcmtk decompresses of the same files (Orthanc decompresses on its side or sends
 * what it holds, S3 always sends what it holds, so the gateway decodes); dcmqrscp is left out: as scripts/peers.sh
 * starts it, it accepts and proposes only uncompressed syntaxes, so it can neither store nor send these samples; JPEG lossless asked as RLE is
 * checked with dcmdrle; what cannot be produced is a 406 naming what can; what cannot be transcoded is left out and
 * named in the epilogue; {@code transfer-syntax=*} still returns what is held.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TranscodeIT extends DeployedGatewayAndPeers {

    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final String RLE = "1.2.840.10008.1.2.5";
    private static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.70";
    private static final String DICOM = "multipart/related; type=\"application/dicom\"";
    private static final Path SAMPLES = TestPeers.projectRoot().resolve("work/samples/codecs");
    private static final List<String> AES = List.of("ORTHANC", "S3");
    /** Lossless samples and the command that decompresses each to Explicit VR Little Endian (the reference). */
    private static final Map<String, List<String>> LOSSLESS = Map.of(
            "rle", List.of("dcmdrle"), "rle-rgb", List.of("dcmdrle"), "jpeg-lossless", List.of("dcmdjpeg"),
            "jpeg-lossless-14", List.of("dcmdjpeg"), "jpeg-ls-lossless", List.of("dcmdjpls"));
    /** A sample whose transfer syntax (MPEG2 Main Profile) no codec of the gateway decodes. */
    private static final String UNDECODABLE = "1.2.840.10008.1.2.4.100";

    @TempDir
    static Path work;

    private static Path undecodable;

    @BeforeAll
    static void samplesStored() throws IOException {
        TestPeers.run(TestPeers.projectRoot().resolve("scripts/codec-samples.sh").toString());
        List<Stow.Part> parts = new ArrayList<>();
        for (String sample : LOSSLESS.keySet()) {
            parts.add(Stow.Part.dicom(Files.readAllBytes(sample(sample))));
        }
        for (String aet : AES) {
            for (Stow.Part part : parts) { // one study per sample: one request each
                Stow.Answer answer = Stow.post(aet, part);
                assertEquals(200, answer.status(), aet + ": " + answer.body());
            }
        }
        undecodable = work.resolve("undecodable.dcm");
        Files.copy(sample("rle"), undecodable);
        TestPeers.run("dcmodify", "-q", "-nb", "-gst", "-gse", "-gin", undecodable.toString());
        Files.write(undecodable, withTransferSyntax(Files.readAllBytes(undecodable), UNDECODABLE));
        Stow.Answer answer = Stow.post("S3", Stow.Part.dicom(Files.readAllBytes(undecodable)));
        assertEquals(200, answer.status(), "S3: " + answer.body());
    }

    @Test
    void compressedInstancesComeNativeWithTheReferencePixels() throws IOException {
        for (String sample : LOSSLESS.keySet()) {
            byte[] reference = nativePixels(Files.readAllBytes(reference(sample)));
            for (String aet : AES) {
                List<Multipart.Part> parts = retrieve(aet, sample(sample), DICOM + "; transfer-syntax=" + EXPLICIT_LE);
                assertEquals(1, parts.size(), aet + " " + sample);
                assertEquals("application/dicom; transfer-syntax=" + EXPLICIT_LE, parts.get(0).contentType(),
                        aet + " " + sample);
                assertArrayEquals(reference, nativePixels(parts.get(0).body()), aet + " " + sample);
            }
        }
    }

    @Test
    void jpegLosslessAskedAsRleIsWhatDcmdrleDecodesToTheReference() throws IOException {
        byte[] reference = nativePixels(Files.readAllBytes(reference("jpeg-lossless")));
        for (String aet : AES) {
            List<Multipart.Part> parts = retrieve(aet, sample("jpeg-lossless"), DICOM + "; transfer-syntax=" + RLE);
            assertEquals("application/dicom; transfer-syntax=" + RLE, parts.get(0).contentType(), aet);
            Path rle = work.resolve(aet + "-rle.dcm");
            Files.write(rle, parts.get(0).body());
            Path decoded = work.resolve(aet + "-dcmdrle.dcm");
            TestPeers.run("dcmdrle", rle.toString(), decoded.toString());
            assertArrayEquals(reference, nativePixels(Files.readAllBytes(decoded)), aet);
        }
    }

    @Test
    void aSyntaxNoCodecEncodesIs406NamingWhatCanBeProduced() {
        // S3 only: a PACS is asked for any syntax (it may hold JPEG 2000, or transcode into it itself)
        for (String aet : List.of("S3")) {
            HttpResponse<byte[]> response = Http.getBytes(url(aet, sample("jpeg-lossless")), "Accept",
                    DICOM + "; transfer-syntax=1.2.840.10008.1.2.4.90");
            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertEquals(406, response.statusCode(), aet + ": " + body);
            assertTrue(body.contains("1.2.840.10008.1.2.4.90"), body);
            assertTrue(body.contains("transfer-syntax=* or one of " + EXPLICIT_LE + ", 1.2.840.10008.1.2, "
                    + "1.2.840.10008.1.2.2,"), body);
            assertTrue(body.contains(RLE), body);
        }
    }

    @Test
    void anyTransferSyntaxReturnsWhatIsHeld() throws IOException {
        // S3 only: Orthanc may convert within the compressed context it accepted
        List<Multipart.Part> parts = retrieve("S3", sample("jpeg-lossless"), DICOM + "; transfer-syntax=*");
        assertEquals("application/dicom; transfer-syntax=" + JPEG_LOSSLESS, parts.get(0).contentType());
        assertArrayEquals(Multipart.dataSet(Files.readAllBytes(sample("jpeg-lossless"))),
                Multipart.dataSet(parts.get(0).body()), "the data set as stored");
    }

    @Test
    void anInstanceThatCannotBeTranscodedIsLeftOutAndNamed() {
        HttpResponse<byte[]> response = Http.getBytes(url("S3", undecodable), "Accept",
                DICOM + "; transfer-syntax=" + EXPLICIT_LE);
        assertEquals(200, response.statusCode());
        String boundary = Multipart.boundary(response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(List.of(), Multipart.parts(response.body(), boundary));
        String body = new String(response.body(), StandardCharsets.ISO_8859_1);
        String epilogue = body.substring(body.indexOf("--" + boundary + "--") + boundary.length() + 4).strip();
        assertTrue(epilogue.startsWith("Warning: 1 instance(s) left out, not transcodable to " + EXPLICIT_LE
                + ": instance " + uids(undecodable)[2] + " in " + UNDECODABLE + ": no codec decodes"), epilogue);
    }

    private static List<Multipart.Part> retrieve(String aet, Path sample, String accept) {
        HttpResponse<byte[]> response = Http.getBytes(url(aet, sample), "Accept", accept);
        String body = new String(response.body(), StandardCharsets.ISO_8859_1);
        assertEquals(200, response.statusCode(), aet + " " + sample + ": " + body);
        String boundary = Multipart.boundary(response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(body.endsWith("--" + boundary + "--\r\n"), aet + " " + sample + ": an epilogue: "
                + body.substring(Math.max(0, body.length() - 500)));
        return Multipart.parts(response.body(), boundary);
    }

    private static String url(String aet, Path sample) {
        String[] uids = uids(sample);
        return Http.GATEWAY + "/aets/" + aet + "/studies/" + uids[0] + "/series/" + uids[1] + "/instances/"
                + uids[2];
    }

    /** Study, series and SOP instance UID, as dcmdump reads them. */
    private static String[] uids(Path file) {
        String[] uids = new String[3];
        String[] tags = {"0020,000d", "0020,000e", "0008,0018"};
        for (int i = 0; i < 3; i++) {
            String dump = TestPeers.run("dcmdump", "-q", "+P", tags[i], file.toString());
            Matcher m = Pattern.compile("\\(" + tags[i] + "\\) UI \\[([0-9.]+)\\]").matcher(dump);
            assertTrue(m.find(), tags[i] + " in " + dump);
            uids[i] = m.group(1);
        }
        return uids;
    }

    private static Path sample(String name) {
        try (Stream<Path> files = Files.list(SAMPLES.resolve(name))) {
            return files.filter(f -> f.toString().endsWith(".dcm")).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException("no sample " + name + ": scripts/codec-samples.sh", e);
        }
    }

    /** The sample decompressed by dcmtk (made once per run). */
    private static Path reference(String name) {
        Path reference = work.resolve(name + "-reference.dcm");
        if (!Files.exists(reference)) {
            List<String> command = new ArrayList<>(LOSSLESS.get(name));
            command.add(sample(name).toString());
            command.add(reference.toString());
            TestPeers.run(command.toArray(String[]::new));
        }
        return reference;
    }

    /** The file with another Transfer Syntax UID in its File Meta Information (dcmodify rewrites it as it writes). */
    private static byte[] withTransferSyntax(byte[] part10, String uid) {
        int metaEnd = 144 + ByteBuffer.wrap(part10, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        byte[] tsHeader = {0x02, 0x00, 0x10, 0x00, 'U', 'I'};
        int at = Multipart.indexOf(part10, tsHeader, 144);
        assertTrue(at > 0 && at < metaEnd, "no Transfer Syntax UID in the meta");
        int oldLength = ByteBuffer.wrap(part10, at + 6, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        byte[] value = Arrays.copyOf(uid.getBytes(StandardCharsets.US_ASCII), uid.length() + uid.length() % 2);
        ByteBuffer out = ByteBuffer.allocate(part10.length - oldLength + value.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(part10, 0, at + 6).putShort((short) value.length).put(value);
        out.put(part10, at + 8 + oldLength, part10.length - at - 8 - oldLength);
        out.putInt(140, metaEnd - 144 - oldLength + value.length);
        return out.array();
    }

    /**
     * The value of the top-level Pixel Data of an Explicit VR Little Endian Part 10 file: its last element, whose
     * header ({@code (7FE0,0010) OB|OW 0000 length}) ends {@code length} bytes before the end of the file.
     */
    static byte[] nativePixels(byte[] part10) {
        for (int at = part10.length - 12; at >= 132; at--) {
            if ((part10[at] & 0xFF) == 0xE0 && part10[at + 1] == 0x7F && part10[at + 2] == 0x10 && part10[at + 3] == 0
                    && part10[at + 4] == 'O' && (part10[at + 5] == 'W' || part10[at + 5] == 'B')) {
                long length = ByteBuffer.wrap(part10, at + 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
                if (at + 12 + length == part10.length) {
                    return Arrays.copyOfRange(part10, at + 12, part10.length);
                }
            }
        }
        throw new AssertionError("no native Pixel Data at the end of the file");
    }
}
