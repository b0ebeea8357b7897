package org.dicomweb.gateway.backend.dimse.retrieve;

import org.dicomweb.gateway.error.PeerFailureException;

/**
 * A C-GET or C-MOVE that failed before any sub-operation. Some PACS (Orthanc) answer a retrieval of something they do
 * not have with a failure status instead of success with no sub-operations; a C-FIND then tells a 404 from a 502.
 */
public final class NothingToRetrieveException extends PeerFailureException {

    NothingToRetrieveException(String reason) {
        super(reason, null);
    }
}
