package org.dicomweb.gateway.wado;

import java.util.concurrent.CompletionStage;

/**
 * WADO-RS metadata (PS3.18 §10.4.1.1.2) and bulk data (§10.4.1.1.5) of one PACS. Both are served from the gateway's
 * instance cache, which retrieves a whole study from the PACS once and keeps it for the requests that follow (a
 * viewer asks for a study's metadata, then its pixel data, instance by instance).
 */
public interface WadoMetadataService {

    /**
     * The DICOM JSON of the instances of a study, of a series of it, or of one instance ({@code request}'s transfer
     * syntax is not used). Fails with a {@link org.dicomweb.gateway.error.GatewayException} before anything is
     * written: 404 if nothing matches.
     */
    CompletionStage<DicomJsonBody> metadata(String aet, WadoRequest request, String retrieveBase);

    /** The value a BulkDataURI of {@link #metadata} names: {@code tagPath} as in that URI. */
    CompletionStage<BulkData> bulkData(String aet, WadoRequest instance, String tagPath);
}
