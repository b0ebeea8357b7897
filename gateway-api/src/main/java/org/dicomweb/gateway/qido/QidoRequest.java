package org.dicomweb.gateway.qido;

import java.util.List;
import java.util.Map;

/**
 * One search as the client asked it: the resource, the UIDs in its path (null where the path has none), the query
 * parameters already percent-decoded, and the base URL under which this AE's resources are retrieved
 * (e.g. {@code http://host:8080/dicomweb/aets/ORTHANC}), for RetrieveURL.
 */
public record QidoRequest(
        QidoResource resource,
        String studyUid,
        String seriesUid,
        Map<String, List<String>> parameters,
        String retrieveBaseUrl) {
}
