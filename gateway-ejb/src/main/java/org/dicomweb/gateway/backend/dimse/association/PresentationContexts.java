package org.dicomweb.gateway.backend.dimse.association;

import java.util.List;

import com.pixelmed.dicom.SOPClass;

import org.dicomweb.gateway.backend.dimse.query.QueryNegotiation;

/**
 * What a pooled association proposes. One proposal serves every operation the pool is used for, so an association
 * taken from the pool can run any of them: Verification (C-ECHO on a context that was really negotiated; a C-ECHO on a
 * query context made a PACS abort DICOM-RST's pooled associations) and Study/Patient Root query/retrieve, with SOP
 * Class Extended Negotiation for the FIND classes ({@link QueryNegotiation}).
 */
public final class PresentationContexts {

    private static final List<String> ABSTRACT_SYNTAXES = List.of(
            SOPClass.Verification,
            SOPClass.StudyRootQueryRetrieveInformationModelFind,
            SOPClass.PatientRootQueryRetrieveInformationModelFind,
            SOPClass.StudyRootQueryRetrieveInformationModelMove,
            SOPClass.PatientRootQueryRetrieveInformationModelMove);

    private PresentationContexts() {
    }

    /** {@code fuzzyMatching}: whether to propose fuzzy semantic matching of person names too. */
    public static AssociationProposal queryRetrieve(boolean fuzzyMatching) {
        return new AssociationProposal(AssociationProposal.contexts(ABSTRACT_SYNTAXES,
                AssociationProposal.UNCOMPRESSED), List.of(), QueryNegotiation.proposal(fuzzyMatching));
    }
}
