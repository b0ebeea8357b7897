package org.dicomweb.gateway.core.tasks;

import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/**
 * Stops the running task attempts when the deployment stops (undeploy, a deployment that failed and is rolled back),
 * before the Tasks listener's deactivation waits for them. A startup singleton's {@code PreDestroy}: nothing of the
 * listener depends on this bean, so WildFly stops the two at once, and this one does not wait for the listener
 * (measured: docs/jobs.md, "Stopping and redeploying"). A server shutdown deactivates the listener earlier, in its
 * suspend, which waits for the running attempts before this runs.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TaskDrain {

    /** How long the attempts have to stop by themselves before their threads are interrupted. */
    static final long GRACE_MS = 2_000;
    /** How long the undeploy waits here at most; then the listener's deactivation waits for what still runs. */
    static final long DEADLINE_MS = 5_000;

    @Inject
    RunningAttempts attempts;

    @PreDestroy
    void stop() {
        attempts.stopAll(GRACE_MS, DEADLINE_MS);
    }
}
