package org.dicomweb.gateway.backend.dimse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import org.dicomweb.gateway.backend.dimse.association.AssociationPool;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.query.QidoQueryParser;
import org.dicomweb.gateway.backend.dimse.query.QidoSearch;
import org.dicomweb.gateway.backend.dimse.query.SearchPlan;
import org.dicomweb.gateway.core.concurrent.HandedOverWork;
import org.dicomweb.gateway.error.UnknownAeException;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResult;
import org.dicomweb.gateway.qido.QidoService;

/** {@link QidoService} over C-FIND on the AE's pooled associations, run on the DIMSE executor. */
@ApplicationScoped
@Typed(DimseQidoService.class) // not a bean of the service type: the web layer gets the BackendRouter
public class DimseQidoService implements QidoService {

    @Inject
    DimseDevice device;

    @Override
    public CompletionStage<QidoResult> search(String aet, QidoRequest request) {
        AssociationPool queryPool = device.pool(aet).orElseThrow(() -> new UnknownAeException(aet));
        RemoteAe ae = device.settings().remoteAe(aet).orElseThrow();
        SearchPlan plan = new QidoQueryParser(device.gateway().qidoMaxResults())
                .parse(request, ae.relationalQueries(), aet);
        AssociationPool pool = plan.fuzzyMatchingWarning() == null ? queryPool : device.fuzzyQueryPool(aet);
        QidoSearch search = new QidoSearch(plan, request.retrieveBaseUrl(), aet);
        CompletableFuture<QidoResult> started = HandedOverWork.start(device.executor(), "DIMSE",
                "a search on " + aet, handover -> {
                    try (AssociationPool.Lease lease = pool.lease()) {
                        search.run(lease, handover, ae.dimseTimeoutMs(), device.stallTimeoutMs(ae));
                    }
                });
        return Deadlines.within(started, ae);
    }
}
