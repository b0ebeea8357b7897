package org.dicomweb.gateway.core.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.access.AccessDecision;
import org.dicomweb.gateway.access.AccessPolicy;
import org.dicomweb.gateway.access.Caller;
import org.dicomweb.gateway.access.RequestTarget;
import org.dicomweb.gateway.core.config.GatewayConfiguration;

/** The {@link AccessRules} over the current configuration, looked up on every request (so a reload applies). */
@ApplicationScoped
public class ConfiguredAccessPolicy implements AccessPolicy {

    @Inject
    GatewayConfiguration configuration;

    @Override
    public AccessDecision check(Caller caller, RequestTarget target) {
        return rules().check(caller, target);
    }

    @Override
    public AccessDecision checkTask(Caller caller, String sourceAet, String destinationAet) {
        return rules().checkTask(caller, sourceAet, destinationAet);
    }

    private AccessRules rules() {
        return new AccessRules(configuration.values());
    }
}
