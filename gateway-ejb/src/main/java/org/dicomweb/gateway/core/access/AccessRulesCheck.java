package org.dicomweb.gateway.core.access;

import jakarta.enterprise.context.ApplicationScoped;

import org.dicomweb.gateway.core.config.ConfigSnapshot;
import org.dicomweb.gateway.core.config.ConfigurationCheck;

/** A configuration reload checks the access keys as a deployment does ({@link AccessRules#validate}). */
@ApplicationScoped
public class AccessRulesCheck implements ConfigurationCheck {

    @Override
    public void check(ConfigSnapshot candidate) {
        new AccessRules(candidate.values()).validate();
    }
}
