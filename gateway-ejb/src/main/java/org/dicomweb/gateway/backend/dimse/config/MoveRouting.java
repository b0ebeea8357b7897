package org.dicomweb.gateway.backend.dimse.config;

/**
 * How the C-STOREs of a C-MOVE are matched to the waiting request: by the Move Originator AE title and Message ID
 * they carry (PS3.7 §9.1.1.1); by the SOP Instance UIDs a C-FIND announced beforehand, for PACS that leave those
 * fields out; or, as a last resort, one C-MOVE at a time to that PACS.
 */
public enum MoveRouting { ORIGINATOR, INSTANCE_UIDS, SEQUENTIAL }
