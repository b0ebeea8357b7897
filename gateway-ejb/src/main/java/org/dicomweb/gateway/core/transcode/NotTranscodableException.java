package org.dicomweb.gateway.core.transcode;

import java.io.IOException;

/** The instance cannot be written in the transfer syntax asked; thrown before anything of it was written. */
public final class NotTranscodableException extends IOException {

    private static final long serialVersionUID = 1L;

    public NotTranscodableException(String message) {
        super(message);
    }
}
