package org.dicomweb.gateway.core.deid;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A UID's pseudonym: {@code 2.25.} and the decimal of a 128-bit integer taken from the keyed hash of the original UID
 * (PS3.5 §B.2: a UID under 2.25 is the integer of a UUID). The 128 bits are made a UUID of RFC 9562's version 8
 * ("custom": the version and variant bits set, the other 122 from the hash), so the pseudonym is a valid UUID-derived
 * UID; at most 44 characters, within the 64 allowed. The same original UID gives the same pseudonym under the same
 * secret and AE, on every node and after restarts; 122 bits make collisions negligible.
 */
final class UidPseudonyms {

    private final KeyedHash hash;

    UidPseudonyms(KeyedHash hash) {
        this.hash = hash;
    }

    String pseudonym(String originalUid) {
        if (originalUid == null || originalUid.isBlank()) {
            return originalUid;
        }
        byte[] uuid = Arrays.copyOf(hash.digest("uid", originalUid.trim()), 16);
        uuid[6] = (byte) (uuid[6] & 0x0F | 0x80);
        uuid[8] = (byte) (uuid[8] & 0x3F | 0x80);
        return "2.25." + new BigInteger(1, uuid);
    }
}
