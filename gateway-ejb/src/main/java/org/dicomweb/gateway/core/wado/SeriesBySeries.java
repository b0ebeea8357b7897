package org.dicomweb.gateway.core.wado;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.dicomweb.gateway.core.cache.ArrivingCopy;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerTimeoutException;
import org.dicomweb.gateway.qido.QidoService;
import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * A study retrieved into the cache one series at a time (a SERIES-level retrieval each, one after the other on the
 * same fill: one association at a time), the series a read asked for first, then whichever series readers ask for
 * meanwhile, then the rest in the PACS's order. Its copy is told when each series is complete, so a series' metadata
 * or a frame is answered once its own series is in while the rest of the study follows in the background, and the
 * next series a viewer opens is already warm. The series come from one series-level search ({@link StudyCensus}); if
 * that fails, the study is retrieved whole, as one retrieval.
 */
final class SeriesBySeries implements RetrievedInstances {

    private final WadoService source;
    private final String aet;
    private final String studyUid;
    private final ArrivingCopy copy;
    private final long timeoutMs;
    private final List<String> remaining;
    private String seriesUid;
    private RetrievedInstances series;

    private SeriesBySeries(WadoService source, String aet, String studyUid, ArrivingCopy copy, long timeoutMs,
            List<String> remaining, String seriesUid, RetrievedInstances series) {
        this.source = source;
        this.aet = aet;
        this.studyUid = studyUid;
        this.copy = copy;
        this.timeoutMs = timeoutMs;
        this.remaining = remaining;
        this.seriesUid = seriesUid;
        this.series = series;
    }

    /**
     * The retrieval of the study into {@code copy}, begun with {@code firstSeries} (asked for by a read), once its first
     * series has begun to arrive. {@code timeoutMs}: how long each later series may take to begin.
     */
    static CompletionStage<RetrievedInstances> start(WadoService source, QidoService qido, String aet,
            String studyUid, String firstSeries, ArrivingCopy copy, Executor executor, long timeoutMs) {
        copy.ask(firstSeries);
        WadoRequest study = new WadoRequest(studyUid, null, null, null);
        return StudyCensus.take(qido, aet, study, executor).handle((census, failure) -> {
            if (failure != null || census.counts().isEmpty()) {
                // No series list to go by (or the study is gone): the PACS answers for the study as a whole.
                return source.retrieve(aet, new WadoRequest(studyUid, null, null, WadoRequest.ANY_TRANSFER_SYNTAX));
            }
            List<String> remaining = new ArrayList<>(census.counts().keySet());
            String first = copy.nextSeries(remaining);
            remaining.remove(first);
            return retrieve(source, aet, studyUid, first).thenApply(retrieved -> (RetrievedInstances)
                    new SeriesBySeries(source, aet, studyUid, copy, timeoutMs, remaining, first, retrieved));
        }).thenCompose(retrieval -> retrieval);
    }

    private static CompletionStage<RetrievedInstances> retrieve(WadoService source, String aet, String studyUid,
            String seriesUid) {
        return source.retrieve(aet, new WadoRequest(studyUid, seriesUid, null, WadoRequest.ANY_TRANSFER_SYNTAX));
    }

    @Override
    public void writeTo(InstanceSink sink) throws IOException {
        SeriesSink eachSeries = new SeriesSink(sink);
        while (true) {
            RetrievedInstances writing = series;
            series = null;
            writing.writeTo(eachSeries);
            if (eachSeries.incomplete) {
                return; // the sink has been told, and refuses the study
            }
            copy.seriesComplete(seriesUid);
            if (remaining.isEmpty()) {
                sink.finish(null);
                return;
            }
            seriesUid = copy.nextSeries(remaining);
            remaining.remove(seriesUid);
            series = next(seriesUid);
        }
    }

    /** The next series' retrieval, once it has begun to arrive (within the timeout). */
    private RetrievedInstances next(String nextSeries) throws IOException {
        CompletableFuture<RetrievedInstances> retrieving = retrieve(source, aet, studyUid, nextSeries)
                .toCompletableFuture();
        try {
            return retrieving.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof GatewayException failure ? failure
                    : new PeerFailureException(aet + ": series " + nextSeries + " of study " + studyUid
                            + " could not be retrieved: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            retrieving.thenAccept(RetrievedInstances::abandon);
            throw new PeerTimeoutException(aet + ": series " + nextSeries + " of study " + studyUid
                    + " did not begin to arrive within " + timeoutMs + " ms (gateway.cache.arrival-timeout-ms)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retrieving.thenAccept(RetrievedInstances::abandon);
            throw new IOException("interrupted while retrieving study " + studyUid + " from " + aet, e);
        }
    }

    @Override
    public void abandon() {
        if (series != null) {
            series.abandon();
        }
    }

    /** The fill's sink across series: each series' end is not the study's, unless it came incomplete. */
    private static final class SeriesSink implements InstanceSink {
        private final InstanceSink sink;
        private boolean incomplete;

        SeriesSink(InstanceSink sink) {
            this.sink = sink;
        }

        @Override
        public OutputStream nextPart(String contentType) throws IOException {
            return sink.nextPart(contentType);
        }

        @Override
        public void filePart(String contentType, FileChannel file, long length) throws IOException {
            sink.filePart(contentType, file, length);
        }

        @Override
        public void finish(String epilogue) throws IOException {
            if (epilogue != null) {
                incomplete = true;
                sink.finish(epilogue);
            }
        }
    }
}
