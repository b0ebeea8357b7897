package org.dicomweb.gateway.backend.dimse.scp;

import java.util.LinkedList;
import java.util.List;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;

/**
 * What the Storage SCP accepts: Verification, and any storage SOP class, in Explicit VR Little Endian if proposed,
 * else Implicit VR Little Endian, else (unless uncompressed-only) the first transfer syntax proposed (the PACS's own,
 * e.g. compressed): instances of a C-MOVE then arrive as the PACS holds them. Whether an instance is wanted is decided
 * per C-STORE, by routing.
 */
final class ScpContextPolicy implements PresentationContextSelectionPolicy {

    private final boolean uncompressedOnly;

    /** {@code uncompressedOnly}: storage contexts only in Explicit or Implicit VR Little Endian (the PACS converts). */
    ScpContextPolicy(boolean uncompressedOnly) {
        this.uncompressedOnly = uncompressedOnly;
    }

    /** PS3.8 §9.3.3.2 presentation context result/reason values. */
    private static final byte ACCEPTANCE = 0;
    private static final byte ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    private static final byte TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;
    private static final String STORAGE_PREFIX = "1.2.840.10008.5.1.4.1.1.";
    private static final List<String> PREFERRED = List.of(TransferSyntax.ExplicitVRLittleEndian,
            TransferSyntax.ImplicitVRLittleEndian);

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int associationNumber) {
        for (Object o : contexts) {
            PresentationContext pc = (PresentationContext) o;
            String abstractSyntax = pc.getAbstractSyntaxUID();
            List<?> proposed = pc.getTransferSyntaxUIDs();
            if (!(SOPClass.Verification.equals(abstractSyntax) || abstractSyntax.startsWith(STORAGE_PREFIX))
                    || proposed.isEmpty()) {
                pc.setResultReason(ABSTRACT_SYNTAX_NOT_SUPPORTED);
                continue;
            }
            String chosen = PREFERRED.stream().filter(proposed::contains).findFirst()
                    .orElse(uncompressedOnly ? null : (String) proposed.get(0));
            if (chosen == null) {
                pc.setResultReason(TRANSFER_SYNTAXES_NOT_SUPPORTED);
                continue;
            }
            pc.newTransferSyntaxUIDs();
            pc.addTransferSyntaxUID(chosen);
            pc.setResultReason(ACCEPTANCE);
        }
        return contexts;
    }

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int associationNumber, int debugLevel) {
        return applyPresentationContextSelectionPolicy(contexts, associationNumber);
    }
}
