package org.dicomweb.gateway.web.observe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletRequest;

import org.dicomweb.gateway.wado.InstanceSink;

/**
 * What only the resources know of a request (its audit record tells it): how many instances it sent or stored, how
 * many matches a search sent, which studies it stored, and whether its body was cut off after it started. Taken on
 * the request's own thread ({@link #of}), then reported from whichever thread writes the body or finishes the store;
 * {@link ObservingFilter} reads it at the end.
 */
public final class RequestFacts {

    private static final String ATTRIBUTE = RequestFacts.class.getName();

    private final AtomicInteger instances = new AtomicInteger(-1);
    private final AtomicInteger matches = new AtomicInteger(-1);
    private final Set<String> studies = new LinkedHashSet<>();
    private volatile boolean cutOff;

    /** The facts of {@code request}; a request the filter did not see gets facts that nobody reads. */
    public static RequestFacts of(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof RequestFacts facts ? facts : new RequestFacts();
    }

    static RequestFacts attachTo(ServletRequest request) {
        RequestFacts facts = new RequestFacts();
        request.setAttribute(ATTRIBUTE, facts);
        return facts;
    }

    /** {@code count} more instances sent or stored. */
    public void instances(int count) {
        instances.updateAndGet(known -> Math.max(known, 0) + count);
    }

    /** The request is a search: it has a match count, 0 until matches are written ({@link #countingMatches}). */
    public void searched() {
        matches.compareAndSet(-1, 0);
    }

    /** {@code out}, counting the matches of the QIDO-RS answer written to it. */
    public OutputStream countingMatches(OutputStream out) {
        searched();
        return new MatchCounter(out, matches::addAndGet);
    }

    /** A study the request stored instances of. */
    public synchronized void study(String studyUid) {
        if (studyUid != null) {
            studies.add(studyUid);
        }
    }

    /** The body failed after it started: the client got less than the response promised. */
    public void cutOff() {
        cutOff = true;
    }

    /** {@code sink}, counting its parts as instances sent. */
    public InstanceSink counting(InstanceSink sink) {
        return new InstanceSink() {
            @Override
            public OutputStream nextPart(String contentType) throws IOException {
                OutputStream part = sink.nextPart(contentType);
                instances(1);
                return part;
            }

            @Override
            public void filePart(String contentType, FileChannel file, long length) throws IOException {
                sink.filePart(contentType, file, length); // the sink's own way with files, not the copying default
                instances(1);
            }

            @Override
            public void finish(String epilogue) throws IOException {
                sink.finish(epilogue);
            }
        };
    }

    /** The instances counted, or -1 if the request reported none (not a request that sends or stores instances). */
    int instances() {
        return instances.get();
    }

    /** The matches of a search written, or -1 if the request was not one. */
    int matches() {
        return matches.get();
    }

    synchronized List<String> studies() {
        return List.copyOf(studies);
    }

    boolean isCutOff() {
        return cutOff;
    }
}
