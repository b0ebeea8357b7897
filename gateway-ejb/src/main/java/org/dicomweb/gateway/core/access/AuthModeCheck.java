package org.dicomweb.gateway.core.access;

import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

import org.dicomweb.gateway.core.config.GatewayConfiguration;

/**
 * At deployment: a mode {@code oidc} without its provider keys fails the deployment naming the key, and mode
 * {@code none} says in the server log that every request is let in.
 */
@Singleton
@Startup
public class AuthModeCheck {

    private static final Logger LOG = Logger.getLogger(AuthModeCheck.class.getName());

    @Inject
    GatewayConfiguration configuration;

    @PostConstruct
    void check() {
        AccessRules rules = new AccessRules(configuration.values());
        if (rules.validate() == AuthMode.NONE) {
            LOG.warning(AccessRules.MODE + "=none: authentication is OFF, every request to every AE is allowed"
                    + " without a token (docs/security.md)");
        } else {
            LOG.info(AccessRules.MODE + "=oidc: every request needs a bearer token; super-user role "
                    + rules.superUserRole());
        }
    }
}
