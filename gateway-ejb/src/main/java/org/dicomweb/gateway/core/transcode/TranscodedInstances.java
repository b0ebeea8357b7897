package org.dicomweb.gateway.core.transcode;

import java.io.IOException;
import java.nio.file.Path;

import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.RetrievedInstances;

/**
 * A retrieval whose instances all reach the client in the transfer syntax it asked for: those the source delivered in
 * another are transcoded as they arrive, one at a time ({@link TranscodingSink}).
 */
public final class TranscodedInstances implements RetrievedInstances {

    private final RetrievedInstances source;
    private final String target;
    private final SpoolBudget budget;
    private final Path spool;

    public TranscodedInstances(RetrievedInstances source, String target, SpoolBudget budget, Path spool) {
        this.source = source;
        this.target = target;
        this.budget = budget;
        this.spool = spool;
    }

    @Override
    public void writeTo(InstanceSink sink) throws IOException {
        TranscodingSink transcoding = new TranscodingSink(sink, target, budget, spool);
        try {
            source.writeTo(transcoding);
        } finally {
            transcoding.discard();
        }
    }

    @Override
    public void abandon() {
        source.abandon();
    }
}
