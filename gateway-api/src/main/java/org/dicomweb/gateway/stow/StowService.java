package org.dicomweb.gateway.stow;

/** STOW-RS into one PACS. */
public interface StowService {

    /**
     * Opens a store transaction for one request (validating the AE at once). {@code studyUid} is the study of the
     * request path, or null for {@code /studies}.
     */
    StowTransaction begin(String aet, String studyUid);
}
