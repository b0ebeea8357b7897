package org.dicomweb.gateway.backend.dimse.retrieve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;

import org.dicomweb.gateway.backend.dimse.association.AssociationProposal;

/**
 * What an association for C-GET proposes: Verification, the Study Root GET model, and one context per storage SOP
 * class in which the gateway takes the SCP role (PS3.7 D.3.3.4), with the transfer syntaxes the client accepts (two
 * contexts when it accepts both uncompressed and compressed ones). 127 contexts at most fit in an association, so the
 * storage classes are the common ones, not all of them.
 */
public final class RetrieveContexts {

    public static final String GET_SOP_CLASS = SOPClass.StudyRootQueryRetrieveInformationModelGet;

    /** Transfer syntaxes proposed when the client takes any ("*"): the PACS sends what it has. */
    public static final List<String> ANY_TRANSFER_SYNTAX = List.of(
            TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian,
            TransferSyntax.DeflatedExplicitVRLittleEndian, TransferSyntax.JPEGBaseline, TransferSyntax.JPEGExtended,
            TransferSyntax.JPEGLossless, TransferSyntax.JPEGLosslessSV1, TransferSyntax.JPEGLS,
            TransferSyntax.JPEGNLS, TransferSyntax.JPEG2000Lossless, TransferSyntax.JPEG2000, TransferSyntax.RLE,
            TransferSyntax.MPEG2MPML, TransferSyntax.MPEG4HP41);

    /**
     * Compressed syntaxes that keep every pixel: the only ones proposed besides the one asked, so that a PACS that
     * cannot decompress sends what it holds, and none ever compresses lossily on the gateway's behalf.
     */
    private static final List<String> LOSSLESS = List.of(TransferSyntax.JPEGLosslessSV1, TransferSyntax.JPEGLossless,
            TransferSyntax.JPEGLS, TransferSyntax.JPEG2000Lossless, TransferSyntax.RLE);

    private static final List<String> UNCOMPRESSED = List.of(TransferSyntax.ExplicitVRLittleEndian,
            TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.DeflatedExplicitVRLittleEndian,
            TransferSyntax.ExplicitVRBigEndian);

    public static final List<String> STORAGE_SOP_CLASSES = List.of(
            "1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1.1",
            "1.2.840.10008.5.1.4.1.1.1.2", "1.2.840.10008.5.1.4.1.1.1.2.1", "1.2.840.10008.5.1.4.1.1.1.3",
            "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.3.1",
            "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.4.1", "1.2.840.10008.5.1.4.1.1.6.1",
            "1.2.840.10008.5.1.4.1.1.6.2", "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.7.1",
            "1.2.840.10008.5.1.4.1.1.7.2", "1.2.840.10008.5.1.4.1.1.7.3", "1.2.840.10008.5.1.4.1.1.7.4",
            "1.2.840.10008.5.1.4.1.1.12.1", "1.2.840.10008.5.1.4.1.1.12.1.1", "1.2.840.10008.5.1.4.1.1.12.2",
            "1.2.840.10008.5.1.4.1.1.12.2.1", "1.2.840.10008.5.1.4.1.1.13.1.1", "1.2.840.10008.5.1.4.1.1.13.1.3",
            "1.2.840.10008.5.1.4.1.1.20", "1.2.840.10008.5.1.4.1.1.66", "1.2.840.10008.5.1.4.1.1.66.4",
            "1.2.840.10008.5.1.4.1.1.67", "1.2.840.10008.5.1.4.1.1.77.1.4", "1.2.840.10008.5.1.4.1.1.88.11",
            "1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.5.1.4.1.1.88.33", "1.2.840.10008.5.1.4.1.1.88.59",
            "1.2.840.10008.5.1.4.1.1.104.1", "1.2.840.10008.5.1.4.1.1.128", "1.2.840.10008.5.1.4.1.1.130",
            "1.2.840.10008.5.1.4.1.1.481.1", "1.2.840.10008.5.1.4.1.1.481.2", "1.2.840.10008.5.1.4.1.1.481.3",
            "1.2.840.10008.5.1.4.1.1.481.5", "1.2.840.10008.5.1.4.1.1.9.1.1", "1.2.840.10008.5.1.4.1.1.11.1");

    private RetrieveContexts() {
    }

    /**
     * For a client that asked one syntax: that one first, then the native ones and the lossless compressed ones the
     * gateway decodes ({@code decodable}), since what arrives in another syntax is transcoded to the one asked
     * (Deflated is not: the transcoder does not read it).
     */
    public static List<String> forRequest(String requested, List<String> decodable) {
        List<String> proposed = new ArrayList<>(List.of(requested));
        UNCOMPRESSED.stream().filter(ts -> !ts.equals(TransferSyntax.DeflatedExplicitVRLittleEndian))
                .filter(ts -> !proposed.contains(ts)).forEach(proposed::add);
        LOSSLESS.stream().filter(decodable::contains).filter(ts -> !proposed.contains(ts)).forEach(proposed::add);
        return List.copyOf(proposed);
    }

    /** The storage contexts carry the transfer syntaxes the client accepts; the gateway offers only the SCP role. */
    public static AssociationProposal proposal(List<String> transferSyntaxes) {
        List<AssociationProposal.Context> contexts = new ArrayList<>(AssociationProposal.contexts(
                List.of(SOPClass.Verification, GET_SOP_CLASS), AssociationProposal.UNCOMPRESSED));
        List<String> uncompressed = transferSyntaxes.stream().filter(UNCOMPRESSED::contains).toList();
        List<String> compressed = transferSyntaxes.stream().filter(ts -> !UNCOMPRESSED.contains(ts)).toList();
        for (String sopClass : STORAGE_SOP_CLASSES) {
            // A PACS accepts one transfer syntax per context, and prefers an uncompressed one if offered: compressed
            // syntaxes get a context of their own, so an instance held compressed can come as it is.
            for (List<String> group : List.of(uncompressed, compressed)) {
                if (!group.isEmpty()) {
                    contexts.add(new AssociationProposal.Context(2 * contexts.size() + 1, sopClass, group));
                }
            }
        }
        List<AssociationProposal.RoleSelection> roles = STORAGE_SOP_CLASSES.stream()
                .map(sopClass -> new AssociationProposal.RoleSelection(sopClass, false, true)).toList();
        return new AssociationProposal(List.copyOf(contexts), roles, Map.of());
    }
}
