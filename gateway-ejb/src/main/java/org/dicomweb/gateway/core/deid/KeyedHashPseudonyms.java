package org.dicomweb.gateway.core.deid;

import java.util.Arrays;

/**
 * The built-in patient pseudonyms: PatientID {@code PSN-} and 16 base32 characters (RFC 4648 alphabet) of the keyed
 * hash of issuer and patient ID (80 bits), PatientName {@code PSEUDONYM^} and that ID. Readable, the same on every
 * request, node and restart, and different for every de-identifying AE (its name is part of the hash input). Nothing
 * is stored: the original cannot be looked up from the pseudonym (an external provider can offer that: see
 * docs/deidentification.md).
 */
public final class KeyedHashPseudonyms implements PatientPseudonyms {

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final int HASH_BYTES = 10;

    private final KeyedHash hash;

    /**
     * @param secret the installation's secret (at least 32 bytes)
     * @param deidentifyingAe the de-identifying AE whose pseudonyms these are
     */
    public KeyedHashPseudonyms(byte[] secret, String deidentifyingAe) {
        this.hash = new KeyedHash(secret, deidentifyingAe);
    }

    @Override
    public PatientPseudonym pseudonym(String issuerOfPatientId, String patientId) {
        String id = "PSN-" + base32(Arrays.copyOf(hash.digest("patient", trim(issuerOfPatientId), trim(patientId)),
                HASH_BYTES));
        return new PatientPseudonym(id, "PSEUDONYM^" + id);
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }

    /** 10 bytes are exactly 16 five-bit groups: no padding. */
    private static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 8 / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = buffer << 8 | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >> (bits - 5)) & 0x1F]);
                bits -= 5;
            }
        }
        return out.toString();
    }
}
