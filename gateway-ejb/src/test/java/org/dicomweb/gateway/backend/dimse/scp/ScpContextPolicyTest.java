package org.dicomweb.gateway.backend.dimse.scp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedList;
import java.util.List;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.PresentationContext;
import org.junit.jupiter.api.Test;

class ScpContextPolicyTest {

    private static final String CT = SOPClass.CTImageStorage;

    private static LinkedList<PresentationContext> proposed() {
        LinkedList<PresentationContext> contexts = new LinkedList<>();
        contexts.add(new PresentationContext((byte) 1, SOPClass.Verification, TransferSyntax.ImplicitVRLittleEndian));
        contexts.add(new PresentationContext((byte) 3, CT, new LinkedList<>(List.of(TransferSyntax.JPEGLosslessSV1,
                TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian))));
        contexts.add(new PresentationContext((byte) 5, CT, TransferSyntax.JPEG2000));
        contexts.add(new PresentationContext((byte) 7, SOPClass.StudyRootQueryRetrieveInformationModelFind,
                TransferSyntax.ImplicitVRLittleEndian));
        return contexts;
    }

    private static String outcome(PresentationContext pc) {
        return pc.getResultReason() == 0 ? pc.getTransferSyntaxUID() : "rejected " + pc.getResultReason();
    }

    @Test
    void prefersUncompressedElseTakesThePacsOwnSyntax() {
        List<String> outcomes = new ScpContextPolicy(false).applyPresentationContextSelectionPolicy(proposed(), 1)
                .stream().map(pc -> outcome((PresentationContext) pc)).toList();
        assertEquals(List.of(TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian,
                TransferSyntax.JPEG2000, "rejected 3"), outcomes);
    }

    @Test
    void uncompressedOnlyRejectsCompressedOnlyContexts() {
        List<String> outcomes = new ScpContextPolicy(true).applyPresentationContextSelectionPolicy(proposed(), 1)
                .stream().map(pc -> outcome((PresentationContext) pc)).toList();
        assertEquals(List.of(TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian,
                "rejected 4", "rejected 3"), outcomes);
    }
}
