package org.dicomweb.gateway.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.audit.AuditSource;

/**
 * {@link AuditSource} from {@code gateway.audit.source-id}, read from the current configuration at each use; unset, the
 * host name WildFly determined at boot ({@code jboss.host.name}), else the JDK's.
 */
@ApplicationScoped
public class ConfiguredAuditSource implements AuditSource {

    static final String KEY = "gateway.audit.source-id";

    @Inject
    GatewayConfiguration configuration;

    @Override
    public String sourceId() {
        return configuration.values().optional(KEY).orElseGet(ConfiguredAuditSource::hostName);
    }

    private static String hostName() {
        String wildfly = System.getProperty("jboss.host.name");
        if (wildfly != null && !wildfly.isBlank()) {
            return wildfly;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
