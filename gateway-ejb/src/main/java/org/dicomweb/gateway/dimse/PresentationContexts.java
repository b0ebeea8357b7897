package org.dicomweb.gateway.dimse;

import java.util.LinkedList;
import java.util.List;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.PresentationContext;

/**
 * What a pooled association proposes. One proposal serves every operation the pool is used for, so an association
 * taken from the pool can run any of them: Verification (C-ECHO on a context that was really negotiated; a C-ECHO on a
 * query context made a PACS abort DICOM-RST's pooled associations) and Study/Patient Root query/retrieve.
 */
final class PresentationContexts {

    private static final List<String> ABSTRACT_SYNTAXES = List.of(
            SOPClass.Verification,
            SOPClass.StudyRootQueryRetrieveInformationModelFind,
            SOPClass.PatientRootQueryRetrieveInformationModelFind,
            SOPClass.StudyRootQueryRetrieveInformationModelMove,
            SOPClass.PatientRootQueryRetrieveInformationModelMove);

    private PresentationContexts() {
    }

    /** A fresh list each time: PixelMed records the peer's answer in the objects it is given. */
    static LinkedList<PresentationContext> queryRetrieve() {
        LinkedList<PresentationContext> contexts = new LinkedList<>();
        byte id = 1;
        for (String abstractSyntax : ABSTRACT_SYNTAXES) {
            LinkedList<String> transferSyntaxes = new LinkedList<>();
            transferSyntaxes.add(TransferSyntax.ExplicitVRLittleEndian);
            transferSyntaxes.add(TransferSyntax.ImplicitVRLittleEndian);
            contexts.add(new PresentationContext(id, abstractSyntax, transferSyntaxes));
            id += 2; // presentation context IDs are odd (PS3.8 §9.3.2.2)
        }
        return contexts;
    }
}
