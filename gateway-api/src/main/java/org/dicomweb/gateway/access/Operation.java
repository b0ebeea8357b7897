package org.dicomweb.gateway.access;

/**
 * The kinds of access an AE grants by role (docs/security.md): reading (QIDO-RS, WADO-RS, the AE's C-ECHO), storing
 * (STOW-RS), retrieval tasks, and administration (reindexing, configuration). Each {@link Service} needs one.
 */
public enum Operation {
    READ, STORE, TASKS, ADMIN
}
