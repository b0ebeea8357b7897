package org.dicomweb.gateway.core.tasks.store;

import org.dicomweb.gateway.error.GatewayBusyException;

/**
 * The task rows' database failed or did not answer: a 503 to a REST client; a worker lets it out of its message
 * listener (its message is redelivered, and the row, which it could not change, stays the truth).
 */
public class TaskDatabaseException extends GatewayBusyException {

    public TaskDatabaseException(String reason) {
        super(reason);
    }
}
