package org.dicomweb.gateway.backend.dimse.association;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.pixelmed.dicom.TransferSyntax;

/**
 * What the gateway proposes in an A-ASSOCIATE-RQ (PS3.8 §9.3.2): presentation contexts, SCP/SCU role selections
 * (PS3.7 D.3.3.4) and SOP Class Extended Negotiation (PS3.7 D.3.3.5), the latter keyed by SOP class UID.
 */
public record AssociationProposal(List<Context> contexts, List<RoleSelection> roles, Map<String, byte[]> extendedNegotiation) {

    /** Explicit then Implicit VR Little Endian: every PACS takes one of them (Implicit is the default, PS3.5 §10.1). */
    public static final List<String> UNCOMPRESSED = List.of(TransferSyntax.ExplicitVRLittleEndian,
            TransferSyntax.ImplicitVRLittleEndian);

    /** A presentation context: an odd ID (PS3.8 §9.3.2.2), an abstract syntax and the transfer syntaxes offered. */
    public record Context(int id, String abstractSyntax, List<String> transferSyntaxes) {
    }

    /** Which roles the gateway offers to take for a SOP class (C-GET needs the SCP role for storage classes). */
    public record RoleSelection(String sopClassUid, boolean scu, boolean scp) {
    }

    public AssociationProposal(List<Context> contexts) {
        this(contexts, List.of(), Map.of());
    }

    /** Contexts with odd IDs 1, 3, 5... in the order of the abstract syntaxes, each with the same transfer syntaxes. */
    public static List<Context> contexts(List<String> abstractSyntaxes, List<String> transferSyntaxes) {
        return IntStream.range(0, abstractSyntaxes.size())
                .mapToObj(i -> new Context(2 * i + 1, abstractSyntaxes.get(i), transferSyntaxes)).toList();
    }

    String abstractSyntaxOf(int contextId) {
        return contexts.stream().filter(c -> c.id() == contextId).map(Context::abstractSyntax).findFirst()
                .orElse(null);
    }
}
