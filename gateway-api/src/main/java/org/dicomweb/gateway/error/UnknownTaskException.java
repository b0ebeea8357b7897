package org.dicomweb.gateway.error;

/** No task has the id the request names: 404. */
public class UnknownTaskException extends GatewayException {

    public UnknownTaskException(String taskId) {
        super("no task with taskId " + taskId, null);
    }
}
