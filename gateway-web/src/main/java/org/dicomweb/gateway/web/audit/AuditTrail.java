package org.dicomweb.gateway.web.audit;

import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.audit.AuditSource;
import org.dicomweb.gateway.web.observe.ObservedRequest;
import org.dicomweb.gateway.web.observe.RequestObserver;

/**
 * Writes one audit record per HTTP request when it ends (docs/security.md, "Audit trail"): a JSON line in the log
 * category {@value #CATEGORY}, which wildfly-config/gateway.cli sends to dicomweb-audit.log only.
 */
@ApplicationScoped
public class AuditTrail implements RequestObserver {

    static final String CATEGORY = "org.dicomweb.gateway.audit";
    private static final Logger AUDIT = Logger.getLogger(CATEGORY);

    @Inject
    AuditSource source;

    @Override
    public void ended(ObservedRequest request) {
        AUDIT.info(AuditMessage.of(request, source.sourceId()).toString());
    }
}
