package org.dicomweb.gateway.web.studies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.MultipartRelated;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.web.observe.RequestFacts;

/**
 * A retrieval served from files on disk: the body is exactly as long as the Content-Length computed from its listed
 * parts, is well-formed multipart/related with each file as one part, and a file that changed size fails the body.
 * (Outside Undertow the sink copies the files; the sendfile path is the same framing around Undertow's transfer.)
 */
class FileSendingSinkTest {

    private static final String TYPE = "application/dicom; transfer-syntax=1.2.840.10008.1.2.1";

    @TempDir
    Path dir;

    @Test
    void bodyIsAsLongAsDeclaredAndHoldsEachFileAsOnePart() throws IOException {
        List<Path> files = List.of(part10("1.2.3.1", 1000), part10("1.2.3.2", 70_000), part10("1.2.3.3", 0));
        StoredFiles retrieval = new StoredFiles(files);
        String boundary = MultipartRelated.newBoundary();
        ByteArrayOutputStream body = new ByteArrayOutputStream();

        retrieval.writeTo(new RequestFacts().counting(FileSendingSink.target().into(body, boundary)));

        byte[] bytes = body.toByteArray();
        assertEquals(MultipartRelated.length(boundary, retrieval.storedParts().orElseThrow()), bytes.length);
        List<byte[]> parts = parse(bytes, boundary);
        assertEquals(files.size(), parts.size());
        for (int i = 0; i < files.size(); i++) {
            assertArrayEquals(Files.readAllBytes(files.get(i)), parts.get(i), "part " + i);
        }
    }

    @Test
    void aFileThatChangedSizeSinceItWasListedFailsTheBody() throws IOException {
        List<Path> files = List.of(part10("1.2.3.1", 100), part10("1.2.3.2", 100));
        StoredFiles retrieval = new StoredFiles(files);
        long listed = Files.size(files.get(1));
        Files.write(files.get(1), new byte[10], StandardOpenOption.APPEND);
        ByteArrayOutputStream body = new ByteArrayOutputStream();

        IOException failure = assertThrows(IOException.class,
                () -> retrieval.writeTo(FileSendingSink.target().into(body, "b")));

        assertTrue(failure.getMessage().contains("not the " + listed + " "), failure.getMessage());
        assertTrue(!body.toString(StandardCharsets.ISO_8859_1).contains("--b--"), "no closing delimiter");
    }

    @Test
    void countingHandsFilesToTheSinkItWraps() throws IOException {
        List<String> calls = new ArrayList<>();
        InstanceSink recording = new InstanceSink() {
            @Override
            public OutputStream nextPart(String contentType) {
                calls.add("nextPart");
                return OutputStream.nullOutputStream();
            }

            @Override
            public void filePart(String contentType, FileChannel file, long length) {
                calls.add("filePart " + length);
            }

            @Override
            public void finish(String epilogue) {
                calls.add("finish");
            }
        };

        Path file = part10("1.2.3.1", 10);
        new StoredFiles(List.of(file)).writeTo(new RequestFacts().counting(recording));

        assertEquals(List.of("filePart " + Files.size(file), "finish"), calls);
    }

    /** As a retrieval served from the study cache does it: the parts listed up front, then each file in that order. */
    private static final class StoredFiles implements RetrievedInstances {

        private final List<Path> files;
        private final List<StoredPart> parts = new ArrayList<>();

        StoredFiles(List<Path> files) throws IOException {
            this.files = files;
            for (Path file : files) {
                parts.add(new StoredPart(TYPE, Files.size(file)));
            }
        }

        @Override
        public Optional<List<StoredPart>> storedParts() {
            return Optional.of(parts);
        }

        @Override
        public void writeTo(InstanceSink sink) throws IOException {
            for (int i = 0; i < files.size(); i++) {
                try (FileChannel file = FileChannel.open(files.get(i))) {
                    sink.filePart(parts.get(i).contentType(), file, parts.get(i).length());
                }
            }
            sink.finish(null);
        }

        @Override
        public void abandon() {
        }
    }

    /** A Part 10 file: preamble, DICM, a File Meta Information group, then SOP Instance UID and pixel bytes. */
    private Path part10(String sopInstanceUid, int pixelBytes) throws IOException {
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        element(meta, 0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.2");
        element(meta, 0x0002, 0x0003, "UI", sopInstanceUid);
        element(meta, 0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1");
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(new byte[128]);
        file.write("DICM".getBytes(StandardCharsets.US_ASCII));
        file.write(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 2).putShort((short) 0)
                .put("UL".getBytes(StandardCharsets.US_ASCII)).putShort((short) 4).putInt(meta.size()).array());
        meta.writeTo(file);
        element(file, 0x0008, 0x0018, "UI", sopInstanceUid);
        file.write(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x7FE0)
                .putShort((short) 0x0010).put("OB".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0)
                .putInt(pixelBytes).array());
        file.write(new byte[pixelBytes]);
        Path path = dir.resolve(sopInstanceUid + ".dcm");
        Files.write(path, file.toByteArray());
        return path;
    }

    private static void element(ByteArrayOutputStream out, int group, int element, String vr, String uid) {
        byte[] value = (uid.length() % 2 == 0 ? uid : uid + "\0").getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) group)
                .putShort((short) element).put(vr.getBytes(StandardCharsets.US_ASCII)).putShort((short) value.length)
                .array());
        out.writeBytes(value);
    }

    /** The part bodies of a multipart/related body, which must end with its closing delimiter and nothing after. */
    private static List<byte[]> parse(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        String closing = "\r\n" + delimiter + "--\r\n";
        assertTrue(text.startsWith(delimiter + "\r\n"), "starts with the first delimiter");
        assertTrue(text.endsWith(closing), "ends with the closing delimiter");
        List<byte[]> parts = new ArrayList<>();
        String inner = text.substring(0, text.length() - closing.length());
        for (String part : inner.substring(delimiter.length() + 2).split("\r\n" + delimiter + "\r\n", -1)) {
            String header = "Content-Type: " + TYPE + "\r\n\r\n";
            assertTrue(part.startsWith(header), "part header");
            parts.add(part.substring(header.length()).getBytes(StandardCharsets.ISO_8859_1));
        }
        return parts;
    }
}
