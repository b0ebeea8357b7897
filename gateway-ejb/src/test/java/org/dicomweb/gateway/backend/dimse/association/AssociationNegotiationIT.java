package org.dicomweb.gateway.backend.dimse.association;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.backend.dimse.config.MoveRouting;
import org.dicomweb.gateway.backend.dimse.config.RelationalQueries;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.config.RetrieveStrategy;
import org.dicomweb.gateway.backend.dimse.query.QueryNegotiation;
import org.dicomweb.gateway.backend.dimse.retrieve.RetrieveContexts;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerTimeoutException;
import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The gateway's own association initiator against the real Orthanc and dcmqrscp: what they accept of the
 * presentation contexts, roles and extended negotiation it proposes, and how rejection and silence end.
 */
public class AssociationNegotiationIT {

    private static final String STUDY_FIND = SOPClass.StudyRootQueryRetrieveInformationModelFind;

    private static RemoteAe ae(String aet, int port, int dimseMs) {
        return new RemoteAe(aet, TestPeers.HOST, port, "GWTEST", 1, 1_000, 2_000, dimseMs, 60_000, 30_000, 65536,
                RelationalQueries.AUTO, aet, RetrieveStrategy.AUTO, MoveRouting.ORIGINATOR, 4, 4, null);
    }

    private static Set<String> acceptedAbstractSyntaxes(DimseAssociation association) {
        return association.negotiated().contexts().values().stream()
                .map(AssociateResponsePdu.AcceptedContext::abstractSyntax).collect(Collectors.toSet());
    }

    /** Opens a query/retrieve association, checks it works (C-ECHO) and releases it; returns what was negotiated. */
    private static DimseAssociation queryRetrieve(RemoteAe ae) {
        DimseAssociation association = DimseAssociation.open(ae, PresentationContexts.queryRetrieve(true));
        System.out.println(ae.aet() + " negotiated " + DimseAssociation.describe(association.negotiated()));
        association.echo();
        assertTimeoutPreemptively(Duration.ofSeconds(2), association::release, "A-RELEASE-RP comes at once");
        assertFalse(association.isUsable());
        return association;
    }

    @Test
    void orthancAcceptsQueryRetrieveButAnswersNoExtendedNegotiation() throws Exception {
        DimseAssociation association = queryRetrieve(ae("ORTHANC", TestPeers.ORTHANC_PORT, 5_000));
        assertEquals(Set.of(SOPClass.Verification, STUDY_FIND, SOPClass.PatientRootQueryRetrieveInformationModelFind,
                SOPClass.StudyRootQueryRetrieveInformationModelMove,
                SOPClass.PatientRootQueryRetrieveInformationModelMove), acceptedAbstractSyntaxes(association));
        assertEquals(TransferSyntax.ExplicitVRLittleEndian,
                association.transferSyntaxOf(association.contextFor(STUDY_FIND)));
        assertTrue(association.negotiated().peerMaxPduLength() > 0);
        assertEquals(ORTHANC_ANSWER, association.queryNegotiation());
    }

    @Test
    void dcmqrscpAcceptsQueryRetrieveButAnswersNoExtendedNegotiation() throws Exception {
        DimseAssociation association = queryRetrieve(ae("DCMQRSCP", TestPeers.DCMQRSCP_PORT, 5_000));
        assertTrue(acceptedAbstractSyntaxes(association).containsAll(List.of(SOPClass.Verification, STUDY_FIND,
                SOPClass.StudyRootQueryRetrieveInformationModelMove)));
        assertTrue(association.negotiated().peerMaxPduLength() > 0);
        assertEquals(DCMQRSCP_ANSWER, association.queryNegotiation());
    }

    @Test
    void orthancTakesTheScpRoleOfferForCGet() throws Exception {
        RemoteAe orthanc = ae("ORTHANC", TestPeers.ORTHANC_PORT, 5_000);
        DimseAssociation association = DimseAssociation.open(orthanc,
                RetrieveContexts.proposal(RetrieveContexts.ANY_TRANSFER_SYNTAX));
        try {
            System.out.println("ORTHANC C-GET negotiated " + DimseAssociation.describe(association.negotiated()));
            association.contextFor(RetrieveContexts.GET_SOP_CLASS);
            assertTrue(acceptedAbstractSyntaxes(association).containsAll(RetrieveContexts.STORAGE_SOP_CLASSES));
            assertEquals(Map.of(), association.negotiated().extendedNegotiation(), "nothing was proposed");
        } finally {
            association.release();
        }
    }

    @Test
    void aRejectionNamesResultSourceAndReason() {
        // dcmqrscp only accepts associations called with an AE title from its configuration.
        RemoteAe wrongTitle = ae("NOT_DCMQRSCP", TestPeers.DCMQRSCP_PORT, 5_000);
        PeerFailureException e = assertThrows(PeerFailureException.class,
                () -> DimseAssociation.open(wrongTitle, PresentationContexts.queryRetrieve(true)));
        assertEquals("NOT_DCMQRSCP at 127.0.0.1:11113: association failed: A-ASSOCIATE-RJ rejected-permanent by the"
                + " service user: called AE title not recognized (result 1, source 1, reason 7)", e.getMessage());
    }

    @Test
    void aPeerThatNeverAnswersTheRequestTimesOut() throws Exception {
        List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocket deadPeer = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(deadPeer.accept()); // and never a byte back
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            RemoteAe silent = new RemoteAe("SILENT", TestPeers.HOST, deadPeer.getLocalPort(), "GWTEST", 1, 1_000,
                    2_000, 500, 60_000, 30_000, 65536, RelationalQueries.AUTO, "SILENT", RetrieveStrategy.AUTO,
                    MoveRouting.ORIGINATOR, 4, 4, null);
            long start = System.nanoTime();
            PeerTimeoutException e = assertThrows(PeerTimeoutException.class,
                    () -> DimseAssociation.open(silent, PresentationContexts.queryRetrieve(true)));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals("SILENT at 127.0.0.1:" + deadPeer.getLocalPort() + ": no answer to association within 500 ms",
                    e.getMessage());
            assertTrue(ms >= 500 && ms < 1_500, ms + " ms");
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void dcmtkReadsTheProposedExtendedNegotiationAndRoles() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = Files.createTempFile("storescp", ".log");
        Process storescp = new ProcessBuilder("storescp", "-d", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitListening(port);
            RemoteAe dcmtk = ae("STORESCP", port, 5_000);
            DimseAssociation.open(dcmtk, PresentationContexts.queryRetrieve(true)).release();
            DimseAssociation.open(dcmtk, PresentationContexts.queryRetrieve(false)).release();
            DimseAssociation.open(dcmtk, RetrieveContexts.proposal(List.of(TransferSyntax.ExplicitVRLittleEndian)))
                    .release();
        } finally {
            storescp.destroy();
            storescp.waitFor();
        }
        String requests = Files.readString(log);
        Files.delete(log);
        assertTrue(requests.contains("Their Implementation Class UID:    "
                + AssociateRequestPdu.IMPLEMENTATION_CLASS_UID), requests);
        String studyRoot = "=FINDStudyRootQueryRetrieveInformationModel (1.2.840.10008.5.1.4.1.2.2.1)\nD:     ";
        String patientRoot = "=FINDPatientRootQueryRetrieveInformationModel (1.2.840.10008.5.1.4.1.2.1.1)\nD:     ";
        assertTrue(requests.contains(studyRoot + "[0x01, 0x01, 0x01]"), requests);
        assertTrue(requests.contains(patientRoot + "[0x01, 0x01, 0x01]"), requests);
        assertTrue(requests.contains(studyRoot + "[0x01, 0x01, 0x00]"), requests);
        assertTrue(requests.contains("Abstract Syntax: =CTImageStorage\nD:     Proposed SCP/SCU Role: SCP"), requests);
    }

    private static void awaitListening(int port) throws InterruptedException {
        for (long deadline = System.nanoTime() + 5_000_000_000L; ; Thread.sleep(50)) {
            try (Socket probe = new Socket(TestPeers.HOST, port)) {
                return;
            } catch (IOException notYet) {
                assertTrue(System.nanoTime() < deadline, "storescp listens within 5 s");
            }
        }
    }

    /**
     * What the peers really answer to relational queries, date-time matching and fuzzy matching (see the docs): no
     * reply at all. ExtendedNegotiationTest proves the parsing of real replies on a test SCP that gives them.
     */
    private static final QueryNegotiation ORTHANC_ANSWER = QueryNegotiation.NONE;
    private static final QueryNegotiation DCMQRSCP_ANSWER = QueryNegotiation.NONE;
}
