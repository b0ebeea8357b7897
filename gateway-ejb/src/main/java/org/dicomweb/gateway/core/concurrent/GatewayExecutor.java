package org.dicomweb.gateway.core.concurrent;

/**
 * The bounded managed executor wildfly-config/gateway.cli creates for work that waits on peers (DIMSE exchanges,
 * upstream DICOMweb requests, cache fills), kept off the HTTP workers and the default executor. Its name predates the
 * other backends; renaming it would need a migration of every installed server's configuration.
 */
public final class GatewayExecutor {

    public static final String JNDI = "java:jboss/ee/concurrency/executor/dicomweb-dimse";

    private GatewayExecutor() {
    }
}
