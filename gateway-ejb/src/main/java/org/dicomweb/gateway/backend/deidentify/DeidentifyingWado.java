package org.dicomweb.gateway.backend.deidentify;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.dicomweb.gateway.core.backend.BackendRegistry;
import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * WADO-RS instances of a de-identifying AE: the pseudonyms asked are mapped back to the source's originals (an unknown
 * one is 404), the source retrieves, and each instance is de-identified on its way ({@link DeidentifyingSink}).
 * {@code report}: whether refused instances are named in the epilogue (a client's retrieval) or only left out (a fill
 * of the study cache, which takes an epilogue for a broken retrieval; frames of a refused instance answer 409 there).
 */
final class DeidentifyingWado implements WadoService {

    private final Function<String, DeidentifiedAe> aes;
    private final BackendRegistry registry;
    private final UidMap uids;
    private final boolean report;

    DeidentifyingWado(Function<String, DeidentifiedAe> aes, BackendRegistry registry, UidMap uids,
            boolean report) {
        this.aes = aes;
        this.registry = registry;
        this.uids = uids;
        this.report = report;
    }

    @Override
    public CompletionStage<RetrievedInstances> retrieve(String aet, WadoRequest request) {
        DeidentifiedAe ae = aes.apply(aet);
        OriginalUids originals = new OriginalUids(ae, uids);
        WadoRequest original = new WadoRequest(originals.require(request.studyUid()),
                originals.requireOrNull(request.seriesUid()), originals.requireOrNull(request.instanceUid()),
                request.transferSyntax());
        return registry.backend(ae.source()).services().wado().retrieve(ae.source(), original)
                .thenApply(retrieved -> new RetrievedInstances() {
                    @Override
                    public void writeTo(InstanceSink sink) throws IOException {
                        retrieved.writeTo(new DeidentifyingSink(sink, ae, uids, report));
                    }

                    @Override
                    public void abandon() {
                        retrieved.abandon();
                    }
                });
    }

    @Override
    public List<String> transferSyntaxes(String aet) {
        String source = aes.apply(aet).source();
        return registry.backend(source).services().wado().transferSyntaxes(source);
    }
}
