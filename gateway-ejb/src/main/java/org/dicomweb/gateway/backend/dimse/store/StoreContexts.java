package org.dicomweb.gateway.backend.dimse.store;

import java.util.ArrayList;
import java.util.List;

import com.pixelmed.dicom.SOPClass;

import org.dicomweb.gateway.backend.dimse.association.AssociationProposal;
import org.dicomweb.gateway.backend.dimse.retrieve.RetrieveContexts;

/**
 * What a pooled C-STORE association proposes: Verification and the common storage SOP classes, each in Explicit and
 * Implicit VR Little Endian. Instances in other syntaxes or of other classes get an association of their own.
 */
public final class StoreContexts {

    private StoreContexts() {
    }

    public static AssociationProposal pooled() {
        List<String> abstractSyntaxes = new ArrayList<>();
        abstractSyntaxes.add(SOPClass.Verification);
        abstractSyntaxes.addAll(RetrieveContexts.STORAGE_SOP_CLASSES);
        return new AssociationProposal(AssociationProposal.contexts(abstractSyntaxes,
                AssociationProposal.UNCOMPRESSED));
    }
}
