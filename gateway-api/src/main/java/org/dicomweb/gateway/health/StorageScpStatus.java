package org.dicomweb.gateway.health;

/** The state of the gateway's own DICOM listener. */
public interface StorageScpStatus {

    String aet();

    /** bind address:port */
    String address();

    boolean isListening();
}
