package org.dicomweb.gateway.backend.dimse.association;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.CEchoResponseCommandMessage;
import com.pixelmed.network.CFindResponseCommandMessage;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.dicomweb.gateway.backend.dimse.query.FindExchange;
import org.dicomweb.gateway.core.dicom.DataSetBytes;
import org.dicomweb.gateway.error.GatewayException;

/**
 * The DIMSE message reader fed hostile answers to a C-ECHO-RQ on an established association, over a real loopback
 * socket and through the association pool as the services use it: each one ends in the gateway's own exception
 * naming what was wrong, within the DIMSE timeout, the association aborted, and nothing allocated by a lying length.
 */
class HostileDimseMessageTest {

    @FunctionalInterface
    interface Answer {
        void write(OutputStream out) throws Exception;
    }

    /** Plays: accept the association, read the C-ECHO-RQ, answer with {@code answer}, then end the output. */
    private static ScriptedPeer answering(Answer answer) throws IOException {
        return new ScriptedPeer(socket -> {
            byte[] request = ScriptedPeer.readPdu(socket.getInputStream()).body();
            socket.getOutputStream().write(ScriptedPeer.accept(request, Map.of()));
            ScriptedPeer.readPdu(socket.getInputStream()); // the C-ECHO-RQ, in one PDU
            answer.write(socket.getOutputStream());
            socket.shutdownOutput();
        });
    }

    private static byte[] echoCommand() throws Exception {
        return new CEchoResponseCommandMessage(SOPClass.Verification, 1, 0).getBytes();
    }

    private static byte[] withUint32(byte[] bytes, int offset, long value) {
        byte[] copy = bytes.clone();
        Pdus.putUint32(copy, offset, value);
        return copy;
    }

    /** Little endian, as in a command set. */
    private static byte[] withLeUint32(byte[] bytes, int offset, long value) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < 4; i++) {
            copy[offset + i] = (byte) (value >>> (8 * i));
        }
        return copy;
    }

    private static byte[] command(byte[] commandSet) {
        return ScriptedPeer.pData(ScriptedPeer.pdv(1, ScriptedPeer.COMMAND_LAST, commandSet));
    }

    private static Answer bytes(byte[] bytes) {
        return out -> out.write(bytes);
    }

    static Stream<Arguments> hostileAnswers() throws Exception {
        byte[] echo = command(echoCommand());
        byte[] pdv = ScriptedPeer.pdv(1, ScriptedPeer.COMMAND_LAST, echoCommand());
        return Stream.of(
                Arguments.of("a PDU cut short", bytes(Arrays.copyOf(echo, echo.length - 7)), "connection closed by"),
                Arguments.of("an empty P-DATA-TF", bytes(ScriptedPeer.pdu(4, new byte[0])),
                        "P-DATA-TF of 0 bytes, outside 6 (one PDV header) to 65536"),
                Arguments.of("a P-DATA-TF length of 0xFFFFFFF0", bytes(withUint32(echo, 2, 0xFFFFFFF0L)),
                        "P-DATA-TF of 4294967280 bytes"),
                Arguments.of("a P-DATA-TF longer than the maximum PDU length", bytes(ScriptedPeer.pdu(4,
                        ScriptedPeer.pdv(1, 3, new byte[65536 - 6 + 1]))), "P-DATA-TF of 65537 bytes"),
                Arguments.of("a PDV length past the PDU's end", bytes(withUint32(echo, 6, pdv.length - 4 + 1)),
                        "PDV length " + (pdv.length - 4 + 1) + " does not fit the " + pdv.length + " bytes left"),
                Arguments.of("a PDV length of 0xFFFFFFFF", bytes(withUint32(echo, 6, 0xFFFFFFFFL)),
                        "PDV length 4294967295 does not fit"),
                Arguments.of("a PDV too short for its header", bytes(withUint32(echo, 6, 1)), "PDV length 1"),
                Arguments.of("an unknown PDU type with a huge length", bytes(withUint32(
                        ScriptedPeer.pdu(0x0A, new byte[16]), 2, 0xFFFFFFF0L)), "unexpected PDU type 0xa during DIMSE"),
                Arguments.of("an A-ABORT whose length lies", bytes(withUint32(ScriptedPeer.pdu(7, new byte[4]), 2,
                        0xFFFFFFF0L)), "A-ABORT of 4294967280 bytes (4 are due)"),
                Arguments.of("an A-RELEASE-RQ whose length lies", bytes(ScriptedPeer.pdu(5, new byte[100])),
                        "A-RELEASE-RQ of 100 bytes (4 are due)"),
                Arguments.of("a data set where a command is due", bytes(ScriptedPeer.pData(ScriptedPeer.pdv(1, 2,
                        new byte[8]))), "a data PDV came where a DIMSE command was due"),
                Arguments.of("a command group length that lies", bytes(command(withLeUint32(echoCommand(), 8, 999))),
                        "command group length says 999, the group 0000 elements after it take " + (echoCommand().length - 12)
                        + " bytes"),
                Arguments.of("a command group length of 2 bytes", bytes(command(withLeUint32(echoCommand(), 4, 2))),
                        "command group length of 2 bytes (4 are due)"),
                Arguments.of("a command element length of 0xFFFFFFF0", bytes(command(withLeUint32(echoCommand(),
                        16, 0xFFFFFFF0L))), "says 4294967280 bytes, only"),
                Arguments.of("a command set that ends inside an element header", bytes(command(withLeUint32(
                        Arrays.copyOf(echoCommand(), echoCommand().length + 3), 8, echoCommand().length - 12 + 3))),
                        "command set ends inside an element header"),
                Arguments.of("command fragments on two contexts", bytes(ScriptedPeer.pData(
                        ScriptedPeer.pdv(1, 1, Arrays.copyOf(echoCommand(), 12)),
                        ScriptedPeer.pdv(3, 3, Arrays.copyOfRange(echoCommand(), 12, echoCommand().length)))),
                        "command fragment on presentation context 3 after one on 1"),
                Arguments.of("command fragments that never end", bytes(ScriptedPeer.endlessCommand()),
                        "command set of more than 65536 bytes (its last fragment never came)"),
                Arguments.of("an A-ABORT for an answer", bytes(ScriptedPeer.pdu(7, new byte[] {0, 0, 2, 1})),
                        "A-ABORT from"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileAnswers")
    void aHostileAnswerFailsTheExchangeWithItsReason(String what, Answer answer, String reason) throws Exception {
        try (ScriptedPeer peer = answering(answer); AssociationPool pool = new AssociationPool(peer.ae())) {
            GatewayException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(
                    GatewayException.class, () -> pool.execute(association -> {
                        association.echo();
                        return null;
                    })));
            assertTrue(e.getMessage().startsWith("SCRIPTED at 127.0.0.1:" + peer.port() + ": C-ECHO failed: "),
                    e.getMessage());
            assertTrue(e.getMessage().contains(reason), e.getMessage());
            ScriptedPeer.assertNoCrash(e);
            ScriptedPeer.After after = peer.after();
            assertTrue(after.closed() && after.startsWithAbort(), "the pool aborted the association: "
                    + Arrays.toString(Arrays.copyOf(after.bytes(), Math.min(16, after.bytes().length))));
        }
    }

    /** After the A-RELEASE-RQ, the peer streams P-DATA-TFs of {@code length} (as it says) instead of answering. */
    private static ScriptedPeer streamingInsteadOfReleasing(long length) throws IOException {
        return new ScriptedPeer(socket -> {
            byte[] request = ScriptedPeer.readPdu(socket.getInputStream()).body();
            socket.getOutputStream().write(ScriptedPeer.accept(request, Map.of()));
            assertEquals(5, ScriptedPeer.readPdu(socket.getInputStream()).type(), "A-RELEASE-RQ");
            byte[] pdu = withUint32(ScriptedPeer.pData(ScriptedPeer.pdv(1, 2, new byte[94])), 2, length);
            try {
                for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; ) {
                    socket.getOutputStream().write(pdu);
                }
                throw new AssertionError("the gateway still reads after 10 s");
            } catch (IOException closedByTheGateway) {
                // what the test waits for
            }
        });
    }

    @ParameterizedTest(name = "P-DATA-TFs of {0} bytes")
    @org.junit.jupiter.params.provider.ValueSource(longs = {100, 0xFFFFFFF0L})
    void aPeerThatStreamsInsteadOfAnsweringTheReleaseIsLeftWithinTheTimeout(long length) throws Exception {
        try (ScriptedPeer peer = streamingInsteadOfReleasing(length)) {
            DimseAssociation association = DimseAssociation.open(peer.ae(), PresentationContexts.queryRetrieve(false));
            long start = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(3), association::release);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(length == 100 ? ms >= 1_000 : ms < 1_000, ms + " ms (the DIMSE timeout is 1000 ms)");
            assertTrue(peer.after().closed());
        }
    }

    /**
     * Answers to a C-FIND whose identifier is where the reader holds a data set whole: it must stay within
     * {@link DimseMessageReader#MAX_WHOLE_DATA_SET} and on the response's presentation context.
     */
    static Stream<Arguments> hostileIdentifiers() throws Exception {
        byte[] pending = ScriptedPeer.pData(ScriptedPeer.pdv(3, ScriptedPeer.COMMAND_LAST, new CFindResponseCommandMessage(
                FindExchange.SOP_CLASS, 1, 0xFF00, true).getBytes()));
        ByteArrayOutputStream oversized = new ByteArrayOutputStream();
        oversized.writeBytes(pending);
        byte[] full = ScriptedPeer.pData(ScriptedPeer.pdv(3, 0, new byte[ScriptedPeer.MAX_PDU - 6]));
        for (int i = 0; i < DimseMessageReader.MAX_WHOLE_DATA_SET / (full.length - 12); i++) {
            oversized.writeBytes(full); // up to 16 MiB, not past it
        }
        oversized.writeBytes(Arrays.copyOf(full, 12)); // the headers of one more: the reader must stop there
        ByteArrayOutputStream otherContext = new ByteArrayOutputStream();
        otherContext.writeBytes(pending);
        otherContext.writeBytes(ScriptedPeer.pData(ScriptedPeer.pdv(5, 2, new byte[8])));
        return Stream.of(
                Arguments.of("an identifier of more than 16 MiB", oversized.toByteArray(),
                        "data set of more than 16777216 bytes where an identifier or a status detail was due"),
                Arguments.of("an identifier on another context", otherContext.toByteArray(),
                        "data set on presentation context 5 after a command on 3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileIdentifiers")
    void aHostileIdentifierFailsTheSearchWithItsReason(String what, byte[] answer, String reason) throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer(socket -> {
            byte[] request = ScriptedPeer.readPdu(socket.getInputStream()).body();
            socket.getOutputStream().write(ScriptedPeer.accept(request, Map.of()));
            ScriptedPeer.readPdu(socket.getInputStream()); // the C-FIND-RQ
            ScriptedPeer.readPdu(socket.getInputStream()); // its identifier
            socket.getOutputStream().write(answer);
            socket.shutdownOutput();
        }); AssociationPool pool = new AssociationPool(peer.ae())) {
            AttributeList identifier = DataSetBytes.implicitVr().text(0x00080052, "CS", "STUDY")
                    .text(0x0020000D, "UI", "").read(com.pixelmed.dicom.TransferSyntax.ImplicitVRLittleEndian, false);
            GatewayException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(
                    GatewayException.class, () -> pool.execute(a -> FindExchange.start(a, identifier).next())));
            assertTrue(e.getMessage().contains("C-FIND failed: " + reason), e.getMessage());
            ScriptedPeer.assertNoCrash(e);
            assertTrue(peer.after().startsWithAbort(), "the pool aborted the association");
        }
    }

    /**
     * A pending C-GET-RSP Orthanc 1.10.1 sent after the gateway had refused a sub-operation (captured): the Failed SOP
     * Instance UID List in group 0008 after the group 0000 elements, in the command and outside its group length.
     * Legal enough to read, and it must be read, or the PACS's counts and status would be lost.
     */
    @Test
    void orthancsFailedInstanceListInTheCommandIsRead() throws Exception {
        byte[] captured = java.util.HexFormat.of().parseHex(ORTHANC_C_GET_RSP);
        try (ScriptedPeer peer = answering(bytes(command(captured)));
                AssociationPool pool = new AssociationPool(peer.ae())) {
            AttributeList command = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> pool.execute(a -> {
                try {
                    a.send(a.contextFor(SOPClass.Verification), new CEchoRequestCommandMessage().getBytes(), null);
                    return a.reader().readCommand();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
            assertEquals(0xFF00, DimseCommands.status(command));
            assertEquals(1, Attribute.getSingleIntegerValueOrDefault(command, new AttributeTag(0x0000, 0x1022), -1),
                    "Number of Failed Sub-operations");
        }
    }

    private static final String ORTHANC_C_GET_RSP = "000000000400000074000000000002001c000000312e322e3834302e31303030382e352e312e342e312e322e"
                + "322e3300000000010200000010800000200102000000010000000008020000000101000000090200000000ff"
                + "0000201002000000f00100002110020000000300000022100200000001000000231002000000000008000000"
                + "0400000034000000080058002c000000322e32352e3837383338323232323339373436323738333734303235"
                + "30343635333332373337393737373600";

    /**
     * Any few bytes of a valid C-ECHO-RSP overwritten, and the PDU maybe cut short: the C-ECHO succeeds or fails with
     * the gateway's own exception, within the timeouts, and the connection ends either way once the pool is closed.
     */
    @Property(tries = 200)
    void aMangledResponseNeverCrashesTheReader(@ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 4095)
            Integer> offsets, @ForAll @Size(4) List<Byte> values, @ForAll @IntRange(min = 0, max = 4095) int cut)
            throws Exception {
        byte[] mangled = command(echoCommand());
        for (int i = 0; i < offsets.size(); i++) {
            mangled[offsets.get(i) % mangled.length] = values.get(i);
        }
        byte[] answer = cut % 3 == 0 ? Arrays.copyOf(mangled, cut % mangled.length) : mangled;
        try (ScriptedPeer peer = answering(bytes(answer))) {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                try (AssociationPool pool = new AssociationPool(peer.ae())) {
                    pool.execute(association -> {
                        association.echo();
                        return null;
                    });
                } catch (GatewayException e) {
                    ScriptedPeer.assertNoCrash(e);
                }
            });
            assertTrue(peer.after().closed(), "the gateway closed the connection");
        }
    }
}
