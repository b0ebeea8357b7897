package org.dicomweb.gateway.backend.dimse.association;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.CFindResponseCommandMessage;
import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.query.MatchStream;
import org.dicomweb.gateway.backend.dimse.query.QidoQueryParser;
import org.dicomweb.gateway.backend.dimse.query.QueryNegotiation;
import org.dicomweb.gateway.backend.dimse.query.SearchPlan;
import org.dicomweb.gateway.core.dicom.DataSetBytes;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource;

/**
 * SOP Class Extended Negotiation for C-FIND (PS3.7 D.3.3.5, PS3.4 C.5.1.1.1) against a PACS that answers it, which
 * neither Orthanc nor dcmqrscp does: a test SCP on the gateway's own PDU code that accepts the association with the
 * reply a test gives, and answers every C-FIND with no matches, noting the Query/Retrieve Level it was asked at. With
 * Relational Queries "auto", a positive reply must make the gateway send one C-FIND at the level of the matches, and
 * a negative or absent one the level-by-level C-FINDs from the study down.
 */
class ExtendedNegotiationTest {

    private static final String STUDY_ROOT = SOPClass.StudyRootQueryRetrieveInformationModelFind;

    private final List<String> levelsAsked = new CopyOnWriteArrayList<>();

    /** Byte 0: relational queries, 1: combined date-time matching, 2: fuzzy semantic matching of person names. */
    private static byte[] reply(int relational, int dateTime, int fuzzy) {
        return new byte[] {(byte) relational, (byte) dateTime, (byte) fuzzy};
    }

    private ScriptedPeer pacs(Map<String, byte[]> replies) throws IOException {
        return new ScriptedPeer(socket -> {
            byte[] request = ScriptedPeer.readPdu(socket.getInputStream()).body();
            socket.getOutputStream().write(ScriptedPeer.accept(request, replies));
            DimseMessageReader reader = new DimseMessageReader(socket, ScriptedPeer.MAX_PDU);
            PDataWriter writer = new PDataWriter(socket.getOutputStream(), ScriptedPeer.MAX_PDU);
            try {
                while (true) {
                    AttributeList command = reader.readCommand();
                    // ScriptedPeer.accept takes the first transfer syntax proposed: Explicit VR Little Endian.
                    AttributeList identifier = DataSetBytes.read(reader.readData(),
                            TransferSyntax.ExplicitVRLittleEndian, false);
                    levelsAsked.add(Attribute.getSingleStringValueOrEmptyString(identifier,
                            TagFromName.QueryRetrieveLevel));
                    writer.sendCommand(reader.contextId(), new CFindResponseCommandMessage(
                            Attribute.getSingleStringValueOrEmptyString(command, TagFromName.AffectedSOPClassUID),
                            Attribute.getSingleIntegerValueOrDefault(command, TagFromName.MessageID, 0), 0, false)
                            .getBytes());
                }
            } catch (AReleaseException released) {
                // the gateway is done; the reader has answered its A-RELEASE-RQ
            }
        });
    }

    /** Opens an association as the pools do, checks what was negotiated, then runs a series search on it. */
    private void searchSeries(ScriptedPeer pacs, QueryNegotiation expected) throws Exception {
        RemoteAe ae = pacs.ae();
        DimseAssociation association = DimseAssociation.open(ae, PresentationContexts.queryRetrieve(true));
        assertEquals(expected, association.queryNegotiation());
        SearchPlan plan = new QidoQueryParser(100).parse(new QidoRequest(QidoResource.SERIES, null, null,
                Map.of("Modality", List.of("CT")), "http://gw/aets/SCRIPTED"), ae.relationalQueries(), ae.aet());
        assertNull(new MatchStream(association, plan.chain()).next(), "the test PACS matches nothing");
        association.release();
        pacs.after();
    }

    @Test
    void aPositiveReplyMakesTheSearchRelational() throws Exception {
        try (ScriptedPeer pacs = pacs(Map.of(STUDY_ROOT, reply(1, 1, 0)))) {
            searchSeries(pacs, new QueryNegotiation(true, true, false));
        }
        assertEquals(List.of("SERIES"), levelsAsked, "one C-FIND, at series level, without the study's UID");
    }

    @Test
    void aNegativeReplyKeepsTheSearchHierarchical() throws Exception {
        try (ScriptedPeer pacs = pacs(Map.of(STUDY_ROOT, reply(0, 1, 1)))) {
            searchSeries(pacs, new QueryNegotiation(false, true, true));
        }
        assertEquals(List.of("STUDY"), levelsAsked, "the studies first (none match, so no series query follows)");
    }

    @Test
    void aShortReplyLeavesTheOptionsItOmitsUnsupported() throws Exception {
        try (ScriptedPeer pacs = pacs(Map.of(STUDY_ROOT, new byte[] {1}))) {
            searchSeries(pacs, new QueryNegotiation(true, false, false));
        }
        assertEquals(List.of("SERIES"), levelsAsked);
    }

    @Test
    void aReplyForPatientRootOnlySaysNothingAboutStudyRoot() throws Exception {
        try (ScriptedPeer pacs = pacs(Map.of(SOPClass.PatientRootQueryRetrieveInformationModelFind,
                reply(1, 1, 1)))) {
            searchSeries(pacs, QueryNegotiation.NONE);
        }
        assertEquals(List.of("STUDY"), levelsAsked);
    }
}
