package org.dicomweb.gateway.audit;

/**
 * The gateway as the source of its audit trail (docs/security.md, "Audit trail"): the Audit Source ID of each record
 * (PS3.15 A.5.1, AuditSourceIdentification).
 */
public interface AuditSource {

    /** {@code gateway.audit.source-id}, by default the server's host name. */
    String sourceId();
}
