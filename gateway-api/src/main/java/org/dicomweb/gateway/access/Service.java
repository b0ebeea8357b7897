package org.dicomweb.gateway.access;

/**
 * What an HTTP request asks the gateway for, as the access check, the audit trail and the metrics name it: one value
 * per DICOMweb service and per gateway endpoint, each needing one {@link Operation}.
 */
public enum Service {
    /** {@code GET /aets}: the configured AEs. */
    AE_LIST(Operation.READ),
    /** {@code GET /aets/{aet}}: a live C-ECHO. */
    AE_ECHO(Operation.READ),
    /** QIDO-RS: {@code GET .../studies}, {@code .../series}, {@code .../instances} searches. */
    QIDO(Operation.READ),
    /** WADO-RS: instances, metadata, bulk data, frames, rendered images and thumbnails. */
    WADO(Operation.READ),
    /** STOW-RS: {@code POST .../studies[/{study}]}. */
    STOW(Operation.STORE),
    /** Retrieval tasks: {@code /tasks...} and {@code POST /inference}. */
    TASKS(Operation.TASKS),
    /** The task status page, {@code /status/...}. */
    STATUS_PAGE(Operation.TASKS),
    /** {@code GET /changefeed...}: every instance that entered through the gateway, of any AE. */
    CHANGEFEED(Operation.READ),
    /** {@code /aets/{aet}/reindex}: rebuilding an S3 AE's index. */
    REINDEX(Operation.ADMIN),
    /** {@code /admin/...}: the gateway's own administration (configuration). */
    ADMIN(Operation.ADMIN),
    /** A path no resource serves (answered 404 by JAX-RS). */
    UNKNOWN(Operation.READ);

    private final Operation operation;

    Service(Operation operation) {
        this.operation = operation;
    }

    public Operation operation() {
        return operation;
    }
}
