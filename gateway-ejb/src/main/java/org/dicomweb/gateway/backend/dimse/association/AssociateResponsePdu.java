package org.dicomweb.gateway.backend.dimse.association;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.pixelmed.network.DicomNetworkException;

/**
 * Reads the answer to an A-ASSOCIATE-RQ: an A-ASSOCIATE-AC (PS3.8 §9.3.3) becomes {@link Negotiated}; an
 * A-ASSOCIATE-RJ (§9.3.4) or A-ABORT (§9.3.8) becomes a failure that names result, source and reason.
 */
final class AssociateResponsePdu {

    private static final int TRANSFER_SYNTAX = 0x40;
    private static final int MAXIMUM_LENGTH = 0x51;

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

    /**
     * Malformed answers (a wrong PDU type, lengths that lie, items that overrun, an accepted context that was not
     * proposed) fail with a {@link MalformedPduException} that says which; rejections and aborts with a plain
     * {@link DicomNetworkException}.
     */
    static Negotiated read(InputStream in, AssociationProposal proposal) throws IOException, DicomNetworkException {
        Pdus.Pdu pdu = Pdus.readAssociationPdu(in, "A-ASSOCIATE-AC",
                Set.of(Pdus.A_ASSOCIATE_AC, Pdus.A_ASSOCIATE_RJ, Pdus.A_ABORT_TYPE));
        return switch (pdu.type()) {
            case Pdus.A_ASSOCIATE_AC -> accepted(pdu.body(), proposal);
            case Pdus.A_ASSOCIATE_RJ -> throw new DicomNetworkException(rejection(pdu.body()));
            default -> throw new DicomNetworkException(Pdus.describeAbort(pdu.body()));
        };
    }

    private static Negotiated accepted(byte[] body, AssociationProposal proposal) throws MalformedPduException {
        PduItems.check(body, "A-ASSOCIATE-AC");
        Map<Integer, AcceptedContext> contexts = new LinkedHashMap<>();
        Map<String, byte[]> extended = new LinkedHashMap<>();
        long[] maxPdu = {0};
        PduItems.each(body, PduItems.FIXED_FIELDS, body.length, "A-ASSOCIATE-AC", (type, value, length) -> {
            // Result 0 is acceptance (PS3.8 §9.3.3.2); other results carry no usable transfer syntax.
            if (type == PduItems.PRESENTATION_CONTEXT_AC && (body[value + 2] & 0xFF) == 0) {
                AcceptedContext context = context(body, value, length, proposal);
                contexts.put(context.id(), context);
            } else if (type == PduItems.USER_INFORMATION) {
                PduItems.each(body, value, value + length, "A-ASSOCIATE-AC user information", (sub, at, size) -> {
                    if (sub == MAXIMUM_LENGTH && size == 4) {
                        maxPdu[0] = Pdus.uint32(body, at);
                    } else if (sub == PduItems.EXTENDED_NEGOTIATION) {
                        extendedNegotiation(body, at, size, extended);
                    }
                });
            }
        });
        return new Negotiated(contexts, maxPdu[0], extended);
    }

    /** An accepted context: its ID, 3 reserved or result bytes, then the one transfer syntax sub-item. */
    private static AcceptedContext context(byte[] body, int value, int length, AssociationProposal proposal)
            throws MalformedPduException {
        int id = body[value] & 0xFF;
        String abstractSyntax = proposal.abstractSyntaxOf(id);
        if (abstractSyntax == null) {
            throw new MalformedPduException("A-ASSOCIATE-AC accepts presentation context " + id
                    + ", which was not proposed");
        }
        String[] transferSyntax = {null};
        PduItems.each(body, value + 4, value + length, "A-ASSOCIATE-AC presentation context " + id,
                (sub, at, size) -> {
                    if (sub == TRANSFER_SYNTAX) {
                        transferSyntax[0] = uid(body, at, size);
                    }
                });
        if (transferSyntax[0] == null) {
            throw new MalformedPduException("A-ASSOCIATE-AC accepts presentation context " + id
                    + " without a transfer syntax");
        }
        return new AcceptedContext(id, abstractSyntax, transferSyntax[0]);
    }

    /** PS3.7 D.3.3.5: a 2-byte UID length (checked to fit), the SOP class UID, then the reply bytes. */
    private static void extendedNegotiation(byte[] body, int value, int length, Map<String, byte[]> extended) {
        int uidLength = Pdus.uint16(body, value);
        extended.put(uid(body, value + 2, uidLength),
                Arrays.copyOfRange(body, value + 2 + uidLength, value + length));
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
