package org.dicomweb.gateway.backend.dimse.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.DicomNetworkException;

import org.dicomweb.gateway.backend.dimse.association.AssociationProposal;
import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.association.DimseCommands;
import org.dicomweb.gateway.backend.dimse.retrieve.RetrieveContexts;
import org.dicomweb.gateway.core.dicom.SpooledInstance;

/**
 * C-STORE (PS3.7 §9.1.1) of a spooled instance. The data set goes from the file into P-DATA PDUs as it is read
 * (PixelMed's StorageSOPClassSCU takes whole files or in-memory lists and its own associations). When the PACS
 * accepted only the other uncompressed transfer syntax, the data set is converted (in memory).
 */
final class StoreExchange {

    private StoreExchange() {
    }

    /** Presentation contexts for an association of its own: the instance's SOP class in its own transfer syntax. */
    static AssociationProposal contextsFor(SpooledInstance instance) {
        return new AssociationProposal(List.of(
                new AssociationProposal.Context(1, instance.sopClassUid(), List.of(instance.transferSyntax())),
                new AssociationProposal.Context(3, instance.sopClassUid(), AssociationProposal.UNCOMPRESSED)));
    }

    /** Whether a pooled storage association (which proposes only uncompressed syntaxes) can carry the instance. */
    static boolean fitsPooledAssociation(SpooledInstance instance) {
        return AssociationProposal.UNCOMPRESSED.contains(instance.transferSyntax())
                && RetrieveContexts.STORAGE_SOP_CLASSES.contains(instance.sopClassUid());
    }

    /** Sends the instance and returns the C-STORE response status. */
    static int store(DimseAssociation association, SpooledInstance instance) {
        return association.exchange("C-STORE", () -> {
            association.operationBegins("C-STORE");
            byte contextId = contextFor(association, instance);
            String transferSyntax = association.transferSyntaxOf(contextId);
            CStoreRequestCommandMessage request = new CStoreRequestCommandMessage(instance.sopClassUid(),
                    instance.sopInstanceUid());
            association.send(contextId, request.getBytes(), null);
            OutputStream data = association.dataStream(contextId);
            if (transferSyntax.equals(instance.transferSyntax())) {
                try (InputStream file = instance.part().open()) {
                    file.skipNBytes(instance.dataSetOffset());
                    file.transferTo(data);
                }
            } else {
                convert(instance, transferSyntax, data);
            }
            // Only a complete data set gets its last fragment: after a failure above the association is aborted
            // instead, so the PACS cannot take a truncated instance for a whole one.
            data.close();
            int status = DimseCommands.status(association.reader().readCommand());
            association.operationEnds(status);
            return status;
        });
    }

    private static byte contextFor(DimseAssociation association, SpooledInstance instance) {
        try {
            return association.contextFor(instance.sopClassUid(), instance.transferSyntax());
        } catch (DicomNetworkException notInItsOwnSyntax) {
            try {
                return association.contextFor(instance.sopClassUid());
            } catch (DicomNetworkException notAtAll) {
                throw new NotAcceptedException(instance.sopClassUid());
            }
        }
    }

    /** The PACS accepted no presentation context for the instance's SOP class. */
    static final class NotAcceptedException extends org.dicomweb.gateway.error.PeerFailureException {
        NotAcceptedException(String sopClassUid) {
            super("the PACS does not accept SOP class " + sopClassUid, null);
        }
    }

    /** Explicit and Implicit VR Little Endian carry the same data set; only the encoding differs. */
    private static void convert(SpooledInstance instance, String transferSyntax, OutputStream out)
            throws IOException, DicomException {
        List<String> uncompressed = AssociationProposal.UNCOMPRESSED;
        if (!uncompressed.contains(instance.transferSyntax()) || !uncompressed.contains(transferSyntax)) {
            throw new DicomException("the PACS accepted " + transferSyntax + " for an instance in "
                    + instance.transferSyntax() + "; only uncompressed syntaxes are converted");
        }
        AttributeList dataSet = new AttributeList();
        try (InputStream file = instance.part().open()) {
            dataSet.read(new DicomInputStream(file));
        }
        dataSet.removeMetaInformationHeaderAttributes();
        DicomOutputStream encoded = new DicomOutputStream(out, null, transferSyntax);
        dataSet.write(encoded);
        encoded.flush();
    }
}
