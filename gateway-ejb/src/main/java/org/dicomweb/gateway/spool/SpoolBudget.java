package org.dicomweb.gateway.spool;

import java.util.concurrent.Semaphore;

/**
 * The memory all uploads together may hold in parts waiting for their backend: a part is kept in memory only while
 * this budget has room for it, and goes to a file otherwise, so memory stays bounded however many clients upload.
 */
public final class SpoolBudget {

    private final Semaphore freeKb;
    private final int partLimitKb;

    /** {@code totalMb} for all parts together (0: every part goes to a file); one part at most {@code partLimitKb}. */
    public SpoolBudget(int totalMb, int partLimitKb) {
        this.freeKb = new Semaphore(totalMb * 1024);
        this.partLimitKb = Math.min(partLimitKb, totalMb * 1024);
    }

    /** Reserves room for one part of up to the part limit, if there is room now; returns the bytes reserved. */
    int tryReservePart() {
        return partLimitKb > 0 && freeKb.tryAcquire(partLimitKb) ? partLimitKb * 1024 : 0;
    }

    /** Gives back all of a reservation but what a part really holds, rounded up to whole KiB. */
    int keep(int reservedBytes, int usedBytes) {
        int keptKb = Math.min((usedBytes + 1023) / 1024, reservedBytes / 1024);
        freeKb.release(reservedBytes / 1024 - keptKb);
        return keptKb * 1024;
    }

    void release(int reservedBytes) {
        freeKb.release(reservedBytes / 1024);
    }
}
