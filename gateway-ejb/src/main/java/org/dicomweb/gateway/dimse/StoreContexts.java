package org.dicomweb.gateway.dimse;

import java.util.LinkedList;
import java.util.List;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.PresentationContext;

/**
 * What a pooled C-STORE association proposes: Verification and the common storage SOP classes, each in Explicit and
 * Implicit VR Little Endian. Instances in other syntaxes or of other classes get an association of their own.
 */
final class StoreContexts {

    private StoreContexts() {
    }

    static LinkedList<PresentationContext> pooled() {
        LinkedList<PresentationContext> contexts = new LinkedList<>();
        byte id = 1;
        contexts.add(new PresentationContext(id, SOPClass.Verification, uncompressed()));
        for (String sopClass : RetrieveContexts.STORAGE_SOP_CLASSES) {
            id += 2;
            contexts.add(new PresentationContext(id, sopClass, uncompressed()));
        }
        return contexts;
    }

    private static LinkedList<String> uncompressed() {
        return new LinkedList<>(List.of(TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian));
    }
}
