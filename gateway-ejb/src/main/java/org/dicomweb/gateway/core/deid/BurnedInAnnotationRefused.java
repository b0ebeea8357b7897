package org.dicomweb.gateway.core.deid;

/** An instance that carries or may carry burned-in annotation (PS3.15 §E.3.1), refused by a de-identifying AE. */
public class BurnedInAnnotationRefused extends Exception {

    private static final long serialVersionUID = 1L;

    public BurnedInAnnotationRefused(String reason) {
        super(reason);
    }
}
