package org.dicomweb.gateway.core.cache;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

import org.dicomweb.gateway.core.spool.PartOutput;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.validation.Uids;
import org.dicomweb.gateway.wado.InstanceSink;

/**
 * Receives a study's retrieval: each part streams into a file of its own in a staging directory (never held in
 * memory), which is then read for its UIDs and moved to its place in the copy's directory, where readers following
 * the copy find it. A retrieval that reports failed sub-operations is refused, so an incomplete study is never taken
 * for the whole.
 */
final class CacheFill implements InstanceSink {

    private final String aet;
    private final String studyUid;
    private final Path staging;
    private final Path copy;
    private final InstanceIdentifier identifier;
    private final Consumer<CachedInstance> onPlaced;
    private OutputStream current;
    private Path currentFile;
    private int parts;
    private boolean finished;
    private final List<CachedInstance> placed = new ArrayList<>();

    /** {@code onPlaced}: told of each instance once its file is complete in {@code copy}. */
    CacheFill(String aet, String studyUid, Path staging, Path copy, InstanceIdentifier identifier,
            Consumer<CachedInstance> onPlaced) {
        this.aet = aet;
        this.studyUid = studyUid;
        this.staging = staging;
        this.copy = copy;
        this.identifier = identifier;
        this.onPlaced = onPlaced;
    }

    @Override
    public OutputStream nextPart(String contentType) throws IOException {
        placeCurrent();
        currentFile = staging.resolve("part-" + ++parts);
        current = new BufferedOutputStream(Files.newOutputStream(currentFile), 65536);
        return PartOutput.of(current);
    }

    @Override
    public void finish(String epilogue) throws IOException {
        placeCurrent();
        if (epilogue != null) {
            throw new PeerFailureException(aet + ": study " + studyUid + " came incomplete, so it is not cached ("
                    + epilogue + ")", null);
        }
        finished = true;
    }

    /**
     * After a failed retrieval: closes the part being received (its file, and the staging directory, are the
     * caller's to delete).
     */
    void abort() {
        if (current == null) {
            return;
        }
        try {
            current.close();
        } catch (IOException e) {
            // a partial file, deleted with its staging directory all the same
        }
        current = null;
    }

    /** Whether the retrieval ended with every instance received. */
    boolean finished() {
        return finished;
    }

    /** Places the part received last, if not yet placed: its file is complete once the retrieval moves on. */
    void placeCurrent() throws IOException {
        if (current == null) {
            return;
        }
        current.close();
        current = null;
        InstanceUids uids = identifier.identify(currentFile);
        // The UIDs become file names: only digits and dots may reach the file system.
        if (!uids.studyUid().equals(studyUid) || !Uids.isValid(uids.seriesUid())
                || !Uids.isValid(uids.sopInstanceUid())) {
            throw new IOException(aet + " sent " + uids + " for study " + studyUid);
        }
        Path target = CacheLayout.instancePath(copy, uids.seriesUid(), uids.sopInstanceUid());
        Files.createDirectories(target.getParent());
        Files.move(currentFile, target);
        CachedInstance instance = new CachedInstance(uids.seriesUid(), uids.sopInstanceUid(),
                uids.transferSyntaxUid(), target);
        placed.add(instance);
        onPlaced.accept(instance);
    }

    /**
     * The instances placed, in the order {@link CacheLayout#instancesIn} lists a copy: each file was identified as it
     * arrived, not read again.
     */
    List<CachedInstance> placed() {
        return placed.stream()
                .sorted(Comparator.comparing(CachedInstance::seriesUid)
                        .thenComparing(instance -> instance.file().getFileName().toString()))
                .toList();
    }
}
