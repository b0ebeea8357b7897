package org.dicomweb.gateway.core.wado;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * One instance retrieved from the PACS on its own (for DIMSE a C-GET at IMAGE level) into a temporary file, for an
 * instance-level read of a study neither cached nor being cached: a viewer's first frames need not wait for the whole
 * study. The file is read, then deleted on every path (what the reader keeps open outlives the deletion); the instance
 * is not cached, so a later study-level read fills the cache as before.
 */
final class InstanceFetch implements InstanceSink {

    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private OutputStream out;
    private String epilogue;

    private InstanceFetch(Path file) {
        this.file = file;
    }

    /** {@code reader}'s answer from the instance {@code request} names, retrieved by {@code source} alone. */
    static <T> CompletionStage<T> read(WadoService source, String aet, WadoRequest request, Path directory,
            Executor executor, StudyLeases.InstanceReader<T> reader) {
        WadoRequest one = new WadoRequest(request.studyUid(), request.seriesUid(), request.instanceUid(),
                WadoRequest.ANY_TRANSFER_SYNTAX);
        CompletableFuture<RetrievedInstances> retrieving = source.retrieve(aet, one).toCompletableFuture();
        return retrieving.thenApplyAsync(instances -> fetched(aet, request, instances, directory, reader), executor)
                .exceptionallyCompose(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof RejectedExecutionException) {
                        // No thread to receive it on: the retrieval is given up now, not at its claim timeout.
                        retrieving.thenAccept(RetrievedInstances::abandon);
                        cause = new GatewayBusyException("no free DIMSE thread to retrieve " + request.describe()
                                + " from " + aet + "; try again later");
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    /** On an executor thread: writes the retrieval into a temporary file, reads it, deletes it. */
    private static <T> T fetched(String aet, WadoRequest request, RetrievedInstances instances, Path directory,
            StudyLeases.InstanceReader<T> reader) {
        Path file;
        try {
            file = Files.createTempFile(directory, "instance-", ".dcm");
        } catch (IOException e) {
            instances.abandon();
            throw new UncheckedIOException("cannot create a temporary file in " + directory, e);
        }
        try {
            InstanceFetch sink = new InstanceFetch(file);
            try {
                instances.writeTo(sink);
            } catch (IOException e) {
                throw e.getCause() instanceof GatewayException failure ? failure
                        : new PeerFailureException(aet + ": " + request.describe() + " could not be retrieved: "
                                + e.getMessage(), e);
            } finally {
                sink.closeQuietly();
            }
            if (sink.out == null && sink.epilogue != null) {
                throw new PeerFailureException(aet + " did not send " + request.describe() + ": " + sink.epilogue,
                        null);
            }
            if (sink.out == null) {
                throw new NotFoundInPacsException(aet + " has no " + request.describe());
            }
            String sent = Attribute.getSingleStringValueOrEmptyString(InstanceFile.read(file).dataSet(),
                    TagFromName.SOPInstanceUID);
            if (!sent.equals(request.instanceUid())) {
                // A PACS that ignored the instance level: its first part is some other instance, never served.
                throw new PeerFailureException(aet + " sent instance " + sent + " when asked for "
                        + request.describe(), null);
            }
            return reader.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // under WildFly's temp directory, which the server cleans
            }
        }
    }

    /**
     * The first part is the instance (checked to be the one asked for before it is read); any other (a PACS that
     * ignored the instance level) is dropped.
     */
    @Override
    public OutputStream nextPart(String contentType) throws IOException {
        if (out != null) {
            return OutputStream.nullOutputStream();
        }
        out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER);
        return out;
    }

    @Override
    public void finish(String epilogue) throws IOException {
        this.epilogue = epilogue;
        if (out != null) {
            out.close();
        }
    }

    private void closeQuietly() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            // the file is deleted all the same
        }
    }
}
