package org.dicomweb.gateway.spool;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One uploaded part, held until its backend has taken it: in memory when small and the {@link SpoolBudget} has room
 * (no file system round trip, which cost STOW-RS most of its time), in a temporary file otherwise. Closing it frees
 * the memory or deletes the file.
 */
public final class SpooledPart implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    private final SpoolBudget budget;
    private final byte[] bytes;
    private final int length;
    private final int reserved;
    private final Path file;

    private SpooledPart(SpoolBudget budget, byte[] bytes, int length, int reserved, Path file) {
        this.budget = budget;
        this.bytes = bytes;
        this.length = length;
        this.reserved = reserved;
        this.file = file;
    }

    /** Reads the part to its end. */
    public static SpooledPart spool(InputStream part, SpoolBudget budget, Path directory) throws IOException {
        int reserved = budget.tryReservePart();
        byte[] head = new byte[Math.min(reserved + 1, BUFFER)];
        int length = 0;
        try {
            // Room for one byte more than reserved: filling it means the part is too big for memory.
            while (reserved > 0) {
                int n = part.read(head, length, head.length - length);
                if (n < 0) {
                    return new SpooledPart(budget, head, length, budget.keep(reserved, head.length), null);
                }
                length += n;
                if (length == reserved + 1) {
                    break;
                }
                if (length == head.length) {
                    head = Arrays.copyOf(head, Math.min(reserved + 1, head.length * 2));
                }
            }
        } catch (IOException | RuntimeException e) {
            budget.release(reserved);
            throw e;
        }
        budget.release(reserved);
        return toFile(part, head, length, directory);
    }

    /** What was read so far, then the rest. */
    private static SpooledPart toFile(InputStream part, byte[] head, int length, Path directory) throws IOException {
        Path file = Files.createTempFile(directory, "part-", ".dcm");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(head, 0, length);
            copy(part, out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new SpooledPart(null, null, 0, 0, file);
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
    }

    /** The part from its first byte, buffered. */
    public InputStream open() throws IOException {
        return file == null ? new ByteArrayInputStream(bytes, 0, length)
                : new BufferedInputStream(Files.newInputStream(file), BUFFER);
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        } else {
            budget.release(reserved);
        }
    }
}
