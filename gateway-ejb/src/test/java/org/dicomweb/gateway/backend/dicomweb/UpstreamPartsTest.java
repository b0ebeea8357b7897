package org.dicomweb.gateway.backend.dicomweb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.wado.MultipartRelated;

/**
 * The upstream's multipart answers parsed back: whatever the parts hold (delimiter look-alikes, CR LF, nothing),
 * however the bytes arrive (one at a time or in large reads), with or without each part's Content-Length, the parts
 * come out as written; and an answer that is cut or lies about a part's length is an error, never a shorter answer.
 */
class UpstreamPartsTest {

    private static final String BOUNDARY = "b0undary-1234";

    /** Bodies of random bytes salted with pieces of the delimiter, written as the gateway writes them. */
    @Property(tries = 200)
    void partsComeOutAsWrittenHoweverTheBytesArrive(@ForAll long seed, @ForAll @IntRange(min = 1, max = 70_000) int chunk,
            @ForAll boolean withLengths, @ForAll boolean streamed) throws IOException {
        Random random = new Random(seed);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = random.nextInt(5); i >= 0; i--) {
            bodies.add(salted(random, random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(300_000)));
        }
        byte[] answer = withLengths ? counted(bodies) : written(bodies);
        UpstreamParts parts = new UpstreamParts(trickling(answer, chunk), BOUNDARY, "UP");
        for (byte[] body : bodies) {
            assertTrue(parts.next());
            assertEquals("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", parts.contentType());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (streamed) {
                InputStream in = parts.body();
                byte[] buffer = new byte[1 + random.nextInt(9000)];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                }
            } else {
                parts.transferTo(out);
            }
            assertArrayEquals(body, out.toByteArray());
        }
        assertFalse(parts.next());
        assertFalse(parts.next(), "and stays at the end");
    }

    @Test
    void aPeekSeesTheFirstBytesAndLeavesThemForTheCopy() throws IOException {
        byte[] body = salted(new Random(7), 40_000);
        for (byte[] answer : List.of(written(List.of(body)), counted(List.of(body)))) {
            UpstreamParts parts = new UpstreamParts(trickling(answer, 100), BOUNDARY, "UP");
            assertTrue(parts.next());
            byte[] head = parts.peek(16_384, (bytes, offset, length) -> Arrays.copyOfRange(bytes, offset,
                    offset + length));
            assertArrayEquals(Arrays.copyOf(body, 16_384), head);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            parts.transferTo(out);
            assertArrayEquals(body, out.toByteArray());
            assertFalse(parts.next());
        }
    }

    @Test
    void aPeekAtAShortBodyGetsTheWholeBody() throws IOException {
        UpstreamParts parts = new UpstreamParts(trickling(written(List.of(new byte[] {1, 2, 3})), 1), BOUNDARY, "UP");
        assertTrue(parts.next());
        assertEquals(3, (int) parts.peek(16_384, (bytes, offset, length) -> length));
    }

    @Test
    void preambleFoldedHeadersPaddingAndEpilogueAreAllowed() throws IOException {
        String answer = "a preamble\r\n--" + BOUNDARY + "  \r\nContent-Type: application/dicom;\r\n"
                + " transfer-syntax=1.2.3\r\nX-Other: 1\r\n\r\nfirst\r\n--" + BOUNDARY + "\r\n\r\nsecond\r\n--"
                + BOUNDARY + "--\r\nan epilogue\r\n";
        UpstreamParts parts = new UpstreamParts(stream(answer), BOUNDARY, "UP");
        assertTrue(parts.next());
        assertEquals("application/dicom; transfer-syntax=1.2.3", parts.contentType());
        assertEquals("first", new String(parts.body().readAllBytes(), StandardCharsets.US_ASCII));
        assertTrue(parts.next());
        assertEquals("text/plain", parts.contentType(), "RFC 2046's default");
        assertEquals("second", new String(parts.body().readAllBytes(), StandardCharsets.US_ASCII));
        assertFalse(parts.next());
    }

    @Test
    void aPartSkippedUnreadIsSkipped() throws IOException {
        UpstreamParts parts = new UpstreamParts(stream(new String(written(List.of("one".getBytes(),
                "two".getBytes())), StandardCharsets.ISO_8859_1)), BOUNDARY, "UP");
        assertTrue(parts.next());
        assertTrue(parts.next());
        assertEquals("two", new String(parts.body().readAllBytes(), StandardCharsets.US_ASCII));
        assertFalse(parts.next());
    }

    @Test
    void anAnswerCutAnywhereBeforeItsClosingDelimiterIsAnError() {
        for (byte[] answer : List.of(written(List.of(salted(new Random(3), 5000))),
                counted(List.of(salted(new Random(4), 5000))))) {
            int closing = ("\r\n--" + BOUNDARY + "--").length();
            for (int cut = 0; cut < answer.length - closing + 3; cut += 97) {
                byte[] start = Arrays.copyOf(answer, cut);
                IOException e = assertThrows(IOException.class, () -> readAll(start), "cut at " + cut);
                assertTrue(e.getMessage().startsWith("UP"), e.getMessage());
            }
        }
    }

    @Test
    void aContentLengthThatDoesNotEndAtTheDelimiterIsAnError() {
        String answer = "--" + BOUNDARY + "\r\nContent-Length: 4\r\n\r\nfirst\r\n--" + BOUNDARY + "--\r\n";
        IOException e = assertThrows(IOException.class, () -> readAll(answer.getBytes(StandardCharsets.US_ASCII)));
        assertEquals("UP sent a malformed multipart answer: a part does not end with a delimiter where its "
                + "Content-Length says", e.getMessage());
    }

    @Test
    void aDelimiterWithoutCrLfIsAnError() {
        String answer = "--" + BOUNDARY + "xyz\r\n\r\nfirst\r\n--" + BOUNDARY + "--\r\n";
        IOException e = assertThrows(IOException.class, () -> readAll(answer.getBytes(StandardCharsets.US_ASCII)));
        assertEquals("UP sent a malformed multipart answer: a delimiter is not followed by CR LF", e.getMessage());
    }

    private static void readAll(byte[] answer) throws IOException {
        UpstreamParts parts = new UpstreamParts(new ByteArrayInputStream(answer), BOUNDARY, "UP");
        while (parts.next()) {
            parts.transferTo(ByteArrayOutputStream.nullOutputStream());
        }
    }

    /** As the gateway writes a WADO-RS answer (no part lengths). */
    private static byte[] written(List<byte[]> bodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultipartRelated multipart = new MultipartRelated(out, BOUNDARY);
        try {
            for (byte[] body : bodies) {
                multipart.nextPart("application/dicom; transfer-syntax=1.2.840.10008.1.2.1").write(body);
            }
            multipart.finish(null);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** As Orthanc writes one: each part with its Content-Length, a header after it. */
    private static byte[] counted(List<byte[]> bodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] body : bodies) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: application/dicom; transfer-syntax=1.2.840.10008.1.2.1"
                    + "\r\nContent-Length: " + body.length + "\r\nMIME-Version: 1.0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Random bytes with CR LF, "--", the boundary and the delimiter less its last byte in places. */
    private static byte[] salted(Random random, int length) {
        byte[] body = new byte[length];
        random.nextBytes(body);
        byte[][] salts = {"\r\n".getBytes(), "\r\n--".getBytes(), BOUNDARY.getBytes(),
                ("\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1)).getBytes()};
        for (int i = length / 1000; i > 0; i--) {
            byte[] salt = salts[random.nextInt(salts.length)];
            int at = random.nextInt(Math.max(1, length - salt.length));
            System.arraycopy(salt, 0, body, at, Math.min(salt.length, length - at));
        }
        // Salts side by side (or a random byte after the near-delimiter) may make a whole delimiter: broken again.
        byte[] delimiter = ("\r\n--" + BOUNDARY).getBytes(StandardCharsets.US_ASCII);
        for (int at = indexOf(body, delimiter); at >= 0; at = indexOf(body, delimiter)) {
            body[at + delimiter.length - 1] = 'X';
        }
        return body;
    }

    private static int indexOf(byte[] bytes, byte[] what) {
        for (int at = 0; at + what.length <= bytes.length; at++) {
            if (Arrays.equals(bytes, at, at + what.length, what, 0, what.length)) {
                return at;
            }
        }
        return -1;
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** At most {@code chunk} bytes per read, as a socket may deliver them. */
    private static InputStream trickling(byte[] bytes, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }
}
