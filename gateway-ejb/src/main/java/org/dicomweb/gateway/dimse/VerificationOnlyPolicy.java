package org.dicomweb.gateway.dimse;

import java.util.LinkedList;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;

/**
 * The Storage SCP accepts only Verification for now: receiving C-STOREs is pointless until retrievals route them to
 * a waiting request, and acknowledging an instance nobody claims would lose it. Storage contexts come with C-MOVE.
 */
final class VerificationOnlyPolicy implements PresentationContextSelectionPolicy {

    /** PS3.8 §9.3.3.2 presentation context result/reason values. */
    private static final byte ACCEPTANCE = 0;
    private static final byte ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    private static final byte TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int associationNumber) {
        for (Object o : contexts) {
            PresentationContext pc = (PresentationContext) o;
            if (!SOPClass.Verification.equals(pc.getAbstractSyntaxUID())) {
                pc.setResultReason(ABSTRACT_SYNTAX_NOT_SUPPORTED);
            } else if (pc.getTransferSyntaxUIDs().contains(TransferSyntax.ImplicitVRLittleEndian)) {
                pc.newTransferSyntaxUIDs();
                pc.addTransferSyntaxUID(TransferSyntax.ImplicitVRLittleEndian);
                pc.setResultReason(ACCEPTANCE);
            } else {
                pc.setResultReason(TRANSFER_SYNTAXES_NOT_SUPPORTED);
            }
        }
        return contexts;
    }

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int associationNumber, int debugLevel) {
        return applyPresentationContextSelectionPolicy(contexts, associationNumber);
    }
}
