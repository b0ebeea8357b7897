package org.dicomweb.gateway.core.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpooledPartTest {

    @TempDir
    Path spool;

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(SpooledPart part) throws IOException {
        try (InputStream in = part.open()) {
            return in.readAllBytes();
        }
    }

    private static byte[] readByteByByte(SpooledPart part) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (InputStream in = part.open()) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                bytes.write(b);
            }
        }
        return bytes.toByteArray();
    }

    /** As the WADO-RS writers pass a part on: transferTo, after skipping {@code skip} bytes. */
    private static byte[] transferred(SpooledPart part, int skip) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (InputStream in = part.open()) {
            in.skipNBytes(skip);
            assertEquals(part.length() - skip, in.transferTo(bytes));
            assertEquals(-1, in.read(), "at the end after transferTo");
        }
        return bytes.toByteArray();
    }

    private long files() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.count();
        }
    }

    @Test
    void smallPartsStayInMemoryAndLargeOnesGoToAFile() throws IOException {
        SpoolBudget budget = new SpoolBudget(1, 128); // parts of up to two 64 KiB chunks in memory
        for (int length : new int[] {0, 1, 65_536, 65_537, 131_071, 131_072, 131_073, 300_000}) {
            byte[] content = bytes(length);
            try (SpooledPart part = SpooledPart.spool(new ByteArrayInputStream(content), budget, spool)) {
                assertArrayEquals(content, read(part), length + " bytes");
                assertArrayEquals(content, read(part), "read twice: " + length + " bytes");
                assertArrayEquals(content, readByteByByte(part), "byte by byte: " + length + " bytes");
                assertArrayEquals(content, transferred(part, 0), "transferTo: " + length + " bytes");
                int skip = Math.min(length, 65_535);
                assertArrayEquals(java.util.Arrays.copyOfRange(content, skip, length), transferred(part, skip),
                        "transferTo after skipping " + skip + " of " + length + " bytes");
                assertEquals(length >= 131_072 ? 1 : 0, files(), length + " bytes");
            }
            assertEquals(0, files(), "closed: no file left");
        }
    }

    @Test
    void whenTheBudgetIsSpentPartsGoToFilesUntilMemoryIsFreed() throws IOException {
        SpoolBudget budget = new SpoolBudget(1, 400); // 16 chunks of 64 KiB; a part of 300 KiB takes 5
        List<SpooledPart> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(SpooledPart.spool(new ByteArrayInputStream(bytes(300 * 1024)), budget, spool));
        }
        assertEquals(2, files(), "three parts fit 1 MiB: the fourth and fifth went to files");
        for (SpooledPart part : held) {
            assertArrayEquals(bytes(300 * 1024), read(part));
            part.close();
        }
        assertEquals(0, files());
        for (int i = 0; i < 3; i++) {
            held.set(i, SpooledPart.spool(new ByteArrayInputStream(bytes(300 * 1024)), budget, spool));
        }
        assertEquals(0, files(), "the chunks given back are used again");
        for (int i = 0; i < 3; i++) {
            held.get(i).close();
        }
    }

    @Test
    void aZeroBudgetSendsEveryPartToAFile() throws IOException {
        try (SpooledPart part = SpooledPart.spool(new ByteArrayInputStream(bytes(10)), new SpoolBudget(0, 2048),
                spool)) {
            assertEquals(1, files());
            assertArrayEquals(bytes(10), read(part));
        }
    }

    /** As a retrieval writes a part: in pieces of {@code piece} bytes, then byte by byte for the last few. */
    private SpooledPart written(byte[] content, SpoolBudget budget, int piece) throws IOException {
        SpooledPart.Writer writer = SpooledPart.writer(budget, spool);
        int at = 0;
        for (; at + piece <= content.length - 3; at += piece) {
            writer.write(content, at, piece);
        }
        for (; at < content.length; at++) {
            writer.write(content[at]);
        }
        return writer.done();
    }

    @Test
    void aWrittenPartIsHeldLikeARead() throws IOException {
        SpoolBudget budget = new SpoolBudget(1, 128); // two 64 KiB chunks in memory
        for (int length : new int[] {0, 1, 65_536, 65_537, 131_072, 131_073, 300_000}) {
            for (int piece : new int[] {1000, 65_536, 100_000}) {
                byte[] content = bytes(length);
                try (SpooledPart part = written(content, budget, piece)) {
                    assertArrayEquals(content, read(part), length + " bytes in pieces of " + piece);
                    assertArrayEquals(content, transferred(part, 0), "transferTo: " + length + " bytes");
                    assertEquals(length, part.length());
                    // Two full chunks fit: unlike a read, a writer knows the part ended with them.
                    assertEquals(length > 131_072 ? 1 : 0, files(), length + " bytes");
                }
                assertEquals(0, files(), "closed: no file left");
            }
        }
    }

    @Test
    void aWrittenPartGoesToAFileWhenTheBudgetIsSpentAndChunksComeBack() throws IOException {
        SpoolBudget budget = new SpoolBudget(1, 1024); // 16 chunks
        SpooledPart first = written(bytes(900 * 1024), budget, 8192); // 15 chunks
        SpooledPart second = written(bytes(200 * 1024), budget, 8192); // one chunk left, then a file
        assertEquals(1, files());
        assertArrayEquals(bytes(200 * 1024), read(second));
        second.close();
        first.close();
        assertEquals(0, files());
        try (SpooledPart again = written(bytes(1000 * 1024), budget, 8192)) {
            assertEquals(0, files(), "every chunk was given back, the file's too");
            assertArrayEquals(bytes(1000 * 1024), read(again));
        }
    }

    @Test
    void aDiscardedWriterLeavesNoFileAndGivesItsChunksBack() throws IOException {
        SpoolBudget budget = new SpoolBudget(1, 128);
        SpooledPart.Writer toFile = SpooledPart.writer(budget, spool);
        toFile.write(bytes(200_000), 0, 200_000);
        assertEquals(1, files());
        toFile.discard();
        assertEquals(0, files());
        SpooledPart.Writer inMemory = SpooledPart.writer(budget, spool);
        inMemory.write(bytes(100_000), 0, 100_000);
        inMemory.discard();
        for (int i = 0; i < 8; i++) { // 16 chunks of 1 MiB: all free again, so 8 parts of two fit
            written(bytes(131_072), budget, 65_536);
        }
        assertEquals(0, files());
    }
}
