package org.dicomweb.gateway.core.spool;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One uploaded part, held until its backend has taken it: in memory chunks of the {@link SpoolBudget} when the part is
 * small enough and chunks are free (no file system round trip), in a temporary file otherwise. Closing it gives the
 * chunks back or deletes the file.
 */
public final class SpooledPart implements AutoCloseable {

    private final SpoolBudget budget;
    private final List<byte[]> chunks;
    private final long length;
    private final Path file;

    private SpooledPart(SpoolBudget budget, List<byte[]> chunks, long length, Path file) {
        this.budget = budget;
        this.chunks = chunks;
        this.length = length;
        this.file = file;
    }

    /** Reads the part to its end. */
    public static SpooledPart spool(InputStream part, SpoolBudget budget, Path directory) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        long length = 0;
        try {
            while (chunks.size() < budget.partLimitChunks()) {
                byte[] chunk = budget.tryTake();
                if (chunk == null) {
                    break;
                }
                chunks.add(chunk);
                int n = part.readNBytes(chunk, 0, chunk.length);
                length += n;
                if (n < chunk.length) {
                    return new SpooledPart(budget, chunks, length, null); // the end of the part
                }
            }
            Path file = toFile(part, chunks, length, directory);
            budget.giveBack(chunks);
            return new SpooledPart(null, null, 0, file);
        } catch (IOException | RuntimeException e) {
            budget.giveBack(chunks);
            throw e;
        }
    }

    /**
     * For a part that arrives by being written to (a retrieval's sink): the same holding as {@link #spool}, memory
     * chunks while the budget gives them, a temporary file after.
     */
    public static Writer writer(SpoolBudget budget, Path directory) {
        return new Writer(budget, directory);
    }

    /** Collects one part; {@link #done} makes it a {@link SpooledPart}, {@link #discard} frees what it holds. */
    public static final class Writer extends OutputStream {
        private final SpoolBudget budget;
        private final Path directory;
        private final List<byte[]> chunks = new ArrayList<>();
        private long length;
        private Path file;
        private OutputStream fileOut;

        private Writer(SpoolBudget budget, Path directory) {
            this.budget = budget;
            this.directory = directory;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            while (count > 0 && fileOut == null) {
                int at = (int) (length % SpoolBudget.CHUNK);
                if (length == (long) chunks.size() * SpoolBudget.CHUNK && !takeChunk()) { // all chunks full
                    toFile();
                    break;
                }
                int n = Math.min(count, SpoolBudget.CHUNK - at);
                System.arraycopy(bytes, offset, chunks.get(chunks.size() - 1), at, n);
                length += n;
                offset += n;
                count -= n;
            }
            if (count > 0) {
                fileOut.write(bytes, offset, count);
            }
        }

        private boolean takeChunk() {
            if (chunks.size() >= budget.partLimitChunks()) {
                return false;
            }
            byte[] chunk = budget.tryTake();
            if (chunk != null) {
                chunks.add(chunk);
            }
            return chunk != null;
        }

        /** What is held in memory so far goes to a new temporary file, which takes the rest. */
        private void toFile() throws IOException {
            file = Files.createTempFile(directory, "part-", ".dcm");
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), SpoolBudget.CHUNK);
            long left = length;
            for (byte[] chunk : chunks) {
                int n = (int) Math.min(left, chunk.length);
                fileOut.write(chunk, 0, n);
                left -= n;
            }
            budget.giveBack(chunks);
            chunks.clear();
        }

        /** The part as written; the writer is spent. */
        public SpooledPart done() throws IOException {
            if (fileOut == null) {
                return new SpooledPart(budget, List.copyOf(chunks), length, null);
            }
            try {
                fileOut.close();
            } catch (IOException e) {
                discard();
                throw e;
            }
            return new SpooledPart(null, null, 0, file);
        }

        /** Frees what was written (a part the retrieval broke off); never throws. */
        public void discard() {
            if (fileOut == null) {
                budget.giveBack(chunks);
                chunks.clear();
                return;
            }
            try {
                fileOut.close();
            } catch (IOException e) {
                // the file is deleted all the same
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // under WildFly's temp directory, which the server cleans
            }
        }
    }

    /** The chunks read so far, then the rest of the part. */
    private static Path toFile(InputStream part, List<byte[]> chunks, long length, Path directory) throws IOException {
        Path file = Files.createTempFile(directory, "part-", ".dcm");
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = length;
            for (byte[] chunk : chunks) {
                int n = (int) Math.min(left, chunk.length);
                out.write(chunk, 0, n);
                left -= n;
            }
            byte[] buffer = chunks.isEmpty() ? new byte[SpoolBudget.CHUNK] : chunks.get(0);
            for (int n = part.read(buffer); n >= 0; n = part.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /** The temporary file holding the part, empty if it is held in memory. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The part's length in bytes. */
    public long length() throws IOException {
        return file == null ? length : Files.size(file);
    }

    /** The part from its first byte, buffered. */
    public InputStream open() throws IOException {
        return file == null ? new ChunksInputStream() : new BufferedInputStream(Files.newInputStream(file),
                SpoolBudget.CHUNK);
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        } else {
            budget.giveBack(chunks);
        }
    }

    /** Reads the chunks in order, up to the part's length. */
    private final class ChunksInputStream extends InputStream {
        private long position;

        @Override
        public int read() {
            if (position >= length) {
                return -1;
            }
            byte b = chunks.get((int) (position / SpoolBudget.CHUNK))[(int) (position % SpoolBudget.CHUNK)];
            position++;
            return b & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= length) {
                return -1;
            }
            byte[] chunk = chunks.get((int) (position / SpoolBudget.CHUNK));
            int at = (int) (position % SpoolBudget.CHUNK);
            int n = (int) Math.min(Math.min(len, chunk.length - at), length - position);
            System.arraycopy(chunk, at, b, off, n);
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, length - position));
            position += skipped;
            return skipped;
        }

        /**
         * Each chunk in one write: InputStream's own transferTo would copy the part through an 8 KiB buffer, eight
         * copies and writes per chunk, for every instance a WADO-RS response or a STOW-RS store passes on.
         */
        @Override
        public long transferTo(OutputStream out) throws IOException {
            long start = position;
            while (position < length) {
                byte[] chunk = chunks.get((int) (position / SpoolBudget.CHUNK));
                int at = (int) (position % SpoolBudget.CHUNK);
                int n = (int) Math.min(chunk.length - at, length - position);
                out.write(chunk, at, n);
                position += n;
            }
            return position - start;
        }
    }
}
