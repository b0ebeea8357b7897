package org.dicomweb.gateway.core.deid;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under the installation's secret, over a purpose ("uid", "patient", "date-offset"), the de-identifying
 * AE's name and the original values, each part NUL-separated (no value contains NUL, so no two inputs collide). The
 * purpose keeps the three kinds of pseudonym independent; the AE's name makes two de-identifying AEs over the same
 * source give unlinkable pseudonyms (docs/deidentification.md). Thread-safe: each call works on a clone of one
 * initialised Mac.
 */
final class KeyedHash {

    /** The least secret accepted (the configuration key is documented as at least 32 characters). */
    static final int MINIMUM_SECRET_BYTES = 32;

    private final Mac prototype;
    private final String deidentifyingAe;

    KeyedHash(byte[] secret, String deidentifyingAe) {
        if (secret == null || secret.length < MINIMUM_SECRET_BYTES) {
            throw new IllegalArgumentException("the de-identification secret must have at least "
                    + MINIMUM_SECRET_BYTES + " bytes");
        }
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
        this.deidentifyingAe = deidentifyingAe;
    }

    byte[] digest(String purpose, String... values) {
        Mac mac = copy();
        update(mac, purpose);
        update(mac, deidentifyingAe);
        for (String value : values) {
            update(mac, value == null ? "" : value);
        }
        return mac.doFinal();
    }

    private static void update(Mac mac, String part) {
        mac.update(part.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
    }

    private Mac copy() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 cannot be cloned", e);
        }
    }
}
