package org.dicomweb.gateway.core.backend;

/** What a {@link DirectTransfer} reports while it runs, and how it learns that its task was cancelled. */
public interface TransferProgress {

    /** The peer's counts so far (a C-MOVE pending response); {@code remaining} is null where the peer gave none. */
    void progress(Integer remaining, int completed, int failed, int warning);

    /** Checked between sub-operations: true once the task is cancelled. */
    boolean cancelled();
}
