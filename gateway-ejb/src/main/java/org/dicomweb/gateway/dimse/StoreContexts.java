package org.dicomweb.gateway.dimse;

import java.util.ArrayList;
import java.util.List;

import com.pixelmed.dicom.SOPClass;

/**
 * What a pooled C-STORE association proposes: Verification and the common storage SOP classes, each in Explicit and
 * Implicit VR Little Endian. Instances in other syntaxes or of other classes get an association of their own.
 */
final class StoreContexts {

    private StoreContexts() {
    }

    static AssociationProposal pooled() {
        List<String> abstractSyntaxes = new ArrayList<>();
        abstractSyntaxes.add(SOPClass.Verification);
        abstractSyntaxes.addAll(RetrieveContexts.STORAGE_SOP_CLASSES);
        return new AssociationProposal(AssociationProposal.contexts(abstractSyntaxes,
                AssociationProposal.UNCOMPRESSED));
    }
}
