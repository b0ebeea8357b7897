package org.dicomweb.gateway.core.spool;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;

/**
 * The memory all uploads together may hold in parts waiting for their backend, as a pool of fixed-size chunks: a part
 * is kept in memory only while chunks are free, and goes to a file otherwise, so memory stays bounded however many
 * clients upload. Chunks are reused rather than garbage: a STOW-RS of 50 MB allocating ~7 bytes per byte (growing
 * arrays, G1 humongous regions) measured slower than writing temporary files.
 */
public final class SpoolBudget {

    static final int CHUNK = 64 * 1024;

    private final int maxChunks;
    private final int partLimitChunks;
    private final Deque<byte[]> free = new ArrayDeque<>();
    private int allocated;

    /** {@code totalMb} for all parts together (0: every part goes to a file); one part at most {@code partLimitKb}. */
    public SpoolBudget(int totalMb, int partLimitKb) {
        this.maxChunks = totalMb * (1024 * 1024 / CHUNK);
        this.partLimitChunks = Math.max(1, partLimitKb * 1024 / CHUNK);
    }

    int partLimitChunks() {
        return partLimitChunks;
    }

    /** A free chunk, or null when the budget is spent. */
    synchronized byte[] tryTake() {
        if (!free.isEmpty()) {
            return free.pop();
        }
        if (allocated < maxChunks) {
            allocated++;
            return new byte[CHUNK];
        }
        return null;
    }

    synchronized void giveBack(Collection<byte[]> chunks) {
        free.addAll(chunks);
    }
}
