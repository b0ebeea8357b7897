package org.dicomweb.gateway.backend.dimse.scp;

/** An association request whose calling AE title the Storage SCP does not accept; it has been rejected already. */
final class UnknownCallingAeException extends Exception {

    private final String callingAet;

    UnknownCallingAeException(String callingAet) {
        super("calling AE title '" + callingAet + "' not recognized");
        this.callingAet = callingAet;
    }

    String callingAet() {
        return callingAet;
    }
}
