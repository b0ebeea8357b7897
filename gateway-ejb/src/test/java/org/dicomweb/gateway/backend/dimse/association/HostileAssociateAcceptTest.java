package org.dicomweb.gateway.backend.dimse.association;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.pixelmed.dicom.SOPClass;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.PeerFailureException;

/**
 * The association initiator fed hostile answers to its A-ASSOCIATE-RQ over a real loopback socket: each one ends in
 * a {@link PeerFailureException} that names what was wrong, within the socket timeouts, with an A-ABORT sent where the
 * peer broke the protocol, and never with an exception of the JDK or PixelMed from inside the parser.
 */
class HostileAssociateAcceptTest {

    private static final AssociationProposal PROPOSAL = PresentationContexts.queryRetrieve(false);
    /** What the gateway sends for {@link #PROPOSAL} (called and calling AE titles from {@link ScriptedPeer#ae}). */
    private static final byte[] REQUEST = Arrays.copyOfRange(
            AssociateRequestPdu.encode("SCRIPTED", "GWTEST", ScriptedPeer.MAX_PDU, PROPOSAL), 6,
            AssociateRequestPdu.encode("SCRIPTED", "GWTEST", ScriptedPeer.MAX_PDU, PROPOSAL).length);

    /** Plays: read the request, answer with what {@code answer} makes of it, then end the output. */
    private static ScriptedPeer answering(UnaryOperator<byte[]> answer) throws Exception {
        return new ScriptedPeer(socket -> {
            byte[] request = ScriptedPeer.readPdu(socket.getInputStream()).body();
            socket.getOutputStream().write(answer.apply(request));
            socket.shutdownOutput();
        });
    }

    /** An A-ASSOCIATE-AC of the fixed fields echoed and then {@code items}, with a PDU length that tells the truth. */
    private static byte[] accept(byte[] request, byte[]... items) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(request, 0, PduItems.FIXED_FIELDS);
        for (byte[] item : items) {
            body.writeBytes(item);
        }
        return ScriptedPeer.pdu(Pdus.A_ASSOCIATE_AC, body.toByteArray());
    }

    private static byte[] item(int type, byte[]... parts) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            value.writeBytes(part);
        }
        ByteArrayOutputStream item = new ByteArrayOutputStream();
        ScriptedPeer.item(item, type, value.toByteArray());
        return item.toByteArray();
    }

    /** An item whose length field says {@code length}, whatever follows. */
    private static byte[] lyingItem(int type, int length, byte[] value) {
        byte[] item = item(type, value);
        item[2] = (byte) (length >> 8);
        item[3] = (byte) length;
        return item;
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] withLength(byte[] pdu, long length) {
        byte[] copy = pdu.clone();
        Pdus.putUint32(copy, 2, length);
        return copy;
    }

    private static byte[] explicitContext(int id) {
        return item(0x21, bytes(id, 0, 0, 0), item(0x40, ascii("1.2.840.10008.1.2.1")));
    }

    static Stream<Arguments> hostileAnswers() {
        byte[] valid = ScriptedPeer.pdu(Pdus.A_ASSOCIATE_AC, REQUEST.clone()); // fixed fields and what follows
        return Stream.of(
                Arguments.of("a header cut short", (UnaryOperator<byte[]>) rq -> bytes(0x02, 0, 0),
                        "connection closed where A-ASSOCIATE-AC was due", false),
                Arguments.of("a PDU length longer than the data", (UnaryOperator<byte[]>) rq -> withLength(
                        accept(rq, explicitContext(1)), 68 + 31 + 500),
                        "connection closed after 99 of the 599 bytes of PDU type 0x2", false),
                Arguments.of("a PDU length of 0xFFFFFFF0", (UnaryOperator<byte[]>) rq -> withLength(valid, 0xFFFFFFF0L),
                        "PDU type 0x2 of 4294967280 bytes, more than the 1048576 accepted", true),
                Arguments.of("a PDU length negative as a signed int", (UnaryOperator<byte[]>) rq -> withLength(valid,
                        0x80000000L), "PDU type 0x2 of 2147483648 bytes", true),
                Arguments.of("an unknown PDU type", (UnaryOperator<byte[]>) rq -> bytes(0x0A, 0, 0, 0, 0, 4, 0, 0, 0, 0),
                        "PDU type 0xa where A-ASSOCIATE-AC was due", true),
                Arguments.of("a P-DATA-TF for an answer", (UnaryOperator<byte[]>) rq -> ScriptedPeer.pData(
                        ScriptedPeer.pdv(1, 3, new byte[4])), "PDU type 0x4 where A-ASSOCIATE-AC was due", true),
                Arguments.of("a body shorter than the fixed fields", (UnaryOperator<byte[]>) rq -> ScriptedPeer.pdu(
                        Pdus.A_ASSOCIATE_AC, new byte[10]), "A-ASSOCIATE-AC of 10 bytes is shorter than its 68", true),
                Arguments.of("an item length past the PDU", (UnaryOperator<byte[]>) rq -> accept(rq,
                        lyingItem(0x21, 0xFFFF, bytes(1, 0, 0, 0))), "item 0x21 says 65535 bytes, only 4 follow", true),
                Arguments.of("a presentation context item too short for its fields", (UnaryOperator<byte[]>) rq ->
                        accept(rq, item(0x21, bytes(1, 0))), "presentation context item of 2 bytes", true),
                Arguments.of("a transfer syntax sub-item past its context", (UnaryOperator<byte[]>) rq -> accept(rq,
                        item(0x21, bytes(1, 0, 0, 0), lyingItem(0x40, 200, ascii("1.2.840.10008.1.2")))),
                        "presentation context 1: item 0x40 says 200 bytes, only 17 follow", true),
                Arguments.of("a user information sub-item past its item", (UnaryOperator<byte[]>) rq -> accept(rq,
                        item(0x50, lyingItem(0x51, 300, bytes(0, 1, 0, 0)))),
                        "user information: item 0x51 says 300 bytes, only 4 follow", true),
                Arguments.of("bytes after the last item", (UnaryOperator<byte[]>) rq -> accept(rq, explicitContext(1),
                        bytes(0x50, 0)), "2 bytes left where an item header was due", true),
                Arguments.of("an extended negotiation UID length past its sub-item", (UnaryOperator<byte[]>) rq ->
                        accept(rq, item(0x50, item(0x56, bytes(0xFF, 0xFF), ascii("1.2.3")))),
                        "user information: sub-item 0x56 of 7 bytes cannot hold its SOP class UID of 65535 bytes", true),
                Arguments.of("an extended negotiation sub-item without its UID length", (UnaryOperator<byte[]>) rq ->
                        accept(rq, item(0x50, item(0x56, bytes(1)))),
                        "user information: sub-item 0x56 of 1 bytes cannot hold its SOP class UID", true),
                Arguments.of("a context accepted that was never proposed", (UnaryOperator<byte[]>) rq -> accept(rq,
                        explicitContext(99)), "presentation context 99, which was not proposed", true),
                Arguments.of("a context accepted without a transfer syntax", (UnaryOperator<byte[]>) rq -> accept(rq,
                        item(0x21, bytes(1, 0, 0, 0))), "presentation context 1 without a transfer syntax", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileAnswers")
    void aHostileAnswerEndsTheAssociationWithItsReason(String what, UnaryOperator<byte[]> answer, String reason,
            boolean aborted) throws Exception {
        try (ScriptedPeer peer = answering(answer)) {
            PeerFailureException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(PeerFailureException.class, () -> DimseAssociation.open(peer.ae(), PROPOSAL)));
            assertTrue(e.getMessage().startsWith("SCRIPTED at 127.0.0.1:" + peer.port() + ": association failed: "),
                    e.getMessage());
            assertTrue(e.getMessage().contains(reason), e.getMessage());
            ScriptedPeer.assertNoCrash(e);
            ScriptedPeer.After after = peer.after();
            assertTrue(after.closed(), "the gateway closed the connection");
            assertEquals(aborted, after.startsWithAbort(), "A-ABORT sent: " + Arrays.toString(after.bytes()));
        }
    }

    /** PS3.8 §9.3.3: items and sub-items of unknown types are ignored, not fatal. */
    @Test
    void unknownItemTypesAreSkipped() throws Exception {
        try (ScriptedPeer peer = answering(rq -> accept(rq, item(0x77, ascii("whatever")), explicitContext(1),
                item(0x50, item(0x5F, new byte[300]), item(0x51, bytes(0, 0, 0x40, 0)))))) {
            DimseAssociation association = DimseAssociation.open(peer.ae(), PROPOSAL);
            assertEquals(Map.of(1, new AssociateResponsePdu.AcceptedContext(1, SOPClass.Verification,
                    "1.2.840.10008.1.2.1")), association.negotiated().contexts());
            assertEquals(0x4000, association.negotiated().peerMaxPduLength());
            association.abort();
        }
    }

    /**
     * Any few bytes of a valid A-ASSOCIATE-AC overwritten, and the PDU maybe cut short: the association opens or
     * fails with the gateway's own exception, within the timeouts, whatever the bytes say.
     */
    @Property(tries = 200)
    void aMangledAcceptNeverCrashesTheReader(@ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 4095)
            Integer> offsets, @ForAll @Size(4) List<Byte> values, @ForAll @IntRange(min = 0, max = 4095) int cut)
            throws Exception {
        byte[] valid = ScriptedPeer.accept(REQUEST, Map.of(SOPClass.StudyRootQueryRetrieveInformationModelFind,
                bytes(1, 1, 0)));
        byte[] mangled = valid.clone();
        for (int i = 0; i < offsets.size(); i++) {
            mangled[offsets.get(i) % mangled.length] = values.get(i);
        }
        byte[] answer = cut % 3 == 0 ? Arrays.copyOf(mangled, cut % mangled.length) : mangled;
        try (ScriptedPeer peer = answering(rq -> answer)) {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                try {
                    DimseAssociation.open(peer.ae(), PROPOSAL).abort();
                } catch (GatewayException e) {
                    ScriptedPeer.assertNoCrash(e);
                }
            });
            assertTrue(peer.after().closed(), "the gateway closed the connection");
        }
    }
}
