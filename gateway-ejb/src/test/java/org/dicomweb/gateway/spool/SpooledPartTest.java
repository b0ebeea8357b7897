package org.dicomweb.gateway.spool;

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

    private long files() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.count();
        }
    }

    @Test
    void smallPartsStayInMemoryAndLargeOnesGoToAFile() throws IOException {
        SpoolBudget budget = new SpoolBudget(1, 100);
        for (int length : new int[] {0, 1, 100 * 1024, 100 * 1024 + 1, 300_000}) {
            byte[] content = bytes(length);
            try (SpooledPart part = SpooledPart.spool(new ByteArrayInputStream(content), budget, spool)) {
                assertArrayEquals(content, read(part), length + " bytes");
                assertArrayEquals(content, read(part), "read twice: " + length + " bytes");
                assertEquals(length > 100 * 1024 ? 1 : 0, files(), length + " bytes");
            }
            assertEquals(0, files(), "closed: no file left");
        }
    }

    @Test
    void whenTheBudgetIsSpentPartsGoToFilesUntilMemoryIsFreed() throws IOException {
        SpoolBudget budget = new SpoolBudget(1, 400); // room for two parts of up to 400 KiB
        List<SpooledPart> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(SpooledPart.spool(new ByteArrayInputStream(bytes(300 * 1024)), budget, spool));
        }
        assertEquals(2, files(), "three parts of 300 KiB do not fit 1 MiB: the third and fourth went to files");
        for (SpooledPart part : held) {
            part.close();
        }
        assertEquals(0, files());
        try (SpooledPart part = SpooledPart.spool(new ByteArrayInputStream(bytes(300 * 1024)), budget, spool)) {
            assertEquals(0, files(), "the memory given back is used again");
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
}
