package org.dicomweb.gateway.dimse;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.pixelmed.network.DicomNetworkException;

/**
 * Reads the answer to an A-ASSOCIATE-RQ: an A-ASSOCIATE-AC (PS3.8 §9.3.3) becomes {@link Negotiated}; an
 * A-ASSOCIATE-RJ (§9.3.4) or A-ABORT (§9.3.8) becomes a failure that names result, source and reason.
 */
final class AssociateResponsePdu {

    private static final int A_ASSOCIATE_AC = 0x02;
    private static final int A_ASSOCIATE_RJ = 0x03;
    private static final int A_ABORT = 0x07;
    /** An A-ASSOCIATE-AC of 127 contexts with long UIDs stays far below this; more is not a DICOM peer talking. */
    private static final int MAX_LENGTH = 1 << 20;

    private AssociateResponsePdu() {
    }

    /** A presentation context the peer accepted, with the one transfer syntax it chose. */
    record AcceptedContext(int id, String abstractSyntax, String transferSyntax) {
    }

    /**
     * The outcome of negotiation. {@code peerMaxPduLength} is the largest P-DATA-TF the peer receives (0: no limit);
     * {@code extendedNegotiation} holds the peer's SOP Class Extended Negotiation replies by SOP class.
     */
    record Negotiated(Map<Integer, AcceptedContext> contexts, long peerMaxPduLength,
            Map<String, byte[]> extendedNegotiation) {
    }

    static Negotiated read(InputStream in, AssociationProposal proposal) throws IOException, DicomNetworkException {
        byte[] header = in.readNBytes(6);
        if (header.length < 6) {
            throw new EOFException("connection closed before A-ASSOCIATE-AC");
        }
        int type = header[0] & 0xFF;
        long length = Pdus.uint32(header, 2);
        if (length > MAX_LENGTH) {
            throw new DicomNetworkException("answer of type 0x" + Integer.toHexString(type) + " and " + length
                    + " bytes is not an A-ASSOCIATE-AC");
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new EOFException("connection closed in the middle of the A-ASSOCIATE answer");
        }
        return switch (type) {
            case A_ASSOCIATE_AC -> accepted(body, proposal);
            case A_ASSOCIATE_RJ -> throw new DicomNetworkException(rejection(body));
            case A_ABORT -> throw new DicomNetworkException(Pdus.describeAbort(body));
            default -> throw new DicomNetworkException("PDU type 0x" + Integer.toHexString(type)
                    + " where A-ASSOCIATE-AC was due");
        };
    }

    private static Negotiated accepted(byte[] body, AssociationProposal proposal) throws DicomNetworkException {
        Map<Integer, AcceptedContext> contexts = new LinkedHashMap<>();
        Map<String, byte[]> extended = new LinkedHashMap<>();
        long maxPdu = 0;
        // Fixed fields: protocol version, reserved, called and calling AE titles, 32 reserved bytes (68 bytes).
        for (int at = 68; at + 4 <= body.length; ) {
            int type = body[at] & 0xFF;
            int length = Pdus.uint16(body, at + 2);
            int value = at + 4;
            if (value + length > body.length) {
                throw new DicomNetworkException("A-ASSOCIATE-AC item 0x" + Integer.toHexString(type) + " overruns it");
            }
            if (type == 0x21 && (body[value + 2] & 0xFF) == 0 && length > 8) {
                // Result 0 is acceptance; its one transfer syntax sub-item follows 4 fixed bytes (PS3.8 §9.3.3.2).
                int id = body[value] & 0xFF;
                String transferSyntax = uid(body, value + 8, Pdus.uint16(body, value + 6));
                contexts.put(id, new AcceptedContext(id, proposal.abstractSyntaxOf(id), transferSyntax));
            } else if (type == 0x50) {
                maxPdu = userInformation(body, value, value + length, extended, maxPdu);
            }
            at = value + length;
        }
        return new Negotiated(contexts, maxPdu, extended);
    }

    private static long userInformation(byte[] body, int from, int to, Map<String, byte[]> extended, long maxPdu) {
        long result = maxPdu;
        for (int at = from; at + 4 <= to; ) {
            int type = body[at] & 0xFF;
            int length = Pdus.uint16(body, at + 2);
            int value = at + 4;
            if (type == 0x51 && length == 4) {
                result = Pdus.uint32(body, value);
            } else if (type == 0x56 && length >= 2) {
                int uidLength = Pdus.uint16(body, value);
                extended.put(uid(body, value + 2, uidLength),
                        Arrays.copyOfRange(body, value + 2 + uidLength, value + length));
            }
            at = value + length;
        }
        return result;
    }

    /** UIDs may come padded with a NUL or space by some implementations. */
    private static String uid(byte[] body, int offset, int length) {
        return new String(body, offset, length, StandardCharsets.US_ASCII).strip().replace("\0", "");
    }

    /** PS3.8 §9.3.4, table 9-21. */
    private static String rejection(byte[] body) {
        int result = body.length > 1 ? body[1] & 0xFF : -1;
        int source = body.length > 2 ? body[2] & 0xFF : -1;
        int reason = body.length > 3 ? body[3] & 0xFF : -1;
        String reasonText = switch (source * 16 + reason) {
            case 0x11 -> "no reason given";
            case 0x12 -> "application context name not supported";
            case 0x13 -> "calling AE title not recognized";
            case 0x17 -> "called AE title not recognized";
            case 0x21 -> "no reason given (service provider, ACSE)";
            case 0x22 -> "protocol version not supported";
            case 0x31 -> "temporary congestion";
            case 0x32 -> "local limit exceeded";
            default -> "reason " + reason;
        };
        return "A-ASSOCIATE-RJ " + (result == 1 ? "rejected-permanent" : "rejected-transient") + " by the "
                + switch (source) {
                    case 1 -> "service user";
                    case 2 -> "service provider (ACSE)";
                    default -> "service provider (presentation)";
                } + ": " + reasonText + " (result " + result + ", source " + source + ", reason " + reason + ")";
    }
}
