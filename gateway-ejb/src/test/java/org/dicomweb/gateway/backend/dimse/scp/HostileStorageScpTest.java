package org.dicomweb.gateway.backend.dimse.scp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.network.CEchoRequestCommandMessage;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.dicomweb.gateway.backend.dimse.association.AssociateRequestPdu;
import org.dicomweb.gateway.backend.dimse.association.AssociationProposal;
import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.association.PduItems;
import org.dicomweb.gateway.backend.dimse.association.Pdus;
import org.dicomweb.gateway.backend.dimse.association.ScriptedPeer;
import org.dicomweb.gateway.backend.dimse.config.CallingAets;
import org.dicomweb.gateway.backend.dimse.config.MoveRouting;
import org.dicomweb.gateway.backend.dimse.config.RelationalQueries;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.config.RetrieveStrategy;
import org.dicomweb.gateway.backend.dimse.config.ScpSettings;

/**
 * The gateway's Storage SCP, running as in the server on a thread pool, fed hostile bytes by a client over loopback:
 * the association's task ends, the connection is closed (with an A-ABORT where the client broke the protocol), the
 * reason is logged, and the next, well-behaved association is served as if nothing had happened.
 */
class HostileStorageScpTest {

    private static final String AET = "DICOMWEB";
    private static final Logger SCP_LOG = Logger.getLogger(StorageScp.class.getName());
    private static final List<LogRecord> LOGGED = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOGGED.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static ExecutorService threads;
    private static StorageScp scp;
    private static int port;
    private static Level levelBefore;

    @BeforeAll
    @BeforeContainer
    static void startScp() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        threads = Executors.newCachedThreadPool();
        scp = new StorageScp(new ScpSettings(AET, "127.0.0.1", port, ScriptedPeer.MAX_PDU, 1_000, false, null, 0, null), threads,
                new MoveRouter(), null, () -> new CallingAets(Set.of(), true),
                new ScpMeters(new SimpleMeterRegistry()));
        scp.start();
        levelBefore = SCP_LOG.getLevel();
        SCP_LOG.setLevel(Level.FINE); // "ended" reasons that are not the client's fault are logged at FINE
        SCP_LOG.addHandler(CAPTURE);
    }

    @AfterAll
    @AfterContainer
    static void stopScp() {
        SCP_LOG.removeHandler(CAPTURE);
        SCP_LOG.setLevel(levelBefore);
        scp.close();
        threads.shutdownNow();
    }

    @BeforeEach
    void forgetTheLog() {
        LOGGED.clear();
    }

    private static byte[] request() {
        return AssociateRequestPdu.encode(AET, "HOSTILE", ScriptedPeer.MAX_PDU, new AssociationProposal(
                AssociationProposal.contexts(List.of(SOPClass.Verification), AssociationProposal.UNCOMPRESSED)));
    }

    private static byte[] withUint32(byte[] bytes, int offset, long value) {
        byte[] copy = bytes.clone();
        Pdus.putUint32(copy, offset, value);
        return copy;
    }

    /** The request with the length of its first presentation context item (after the application context) set. */
    private static byte[] withContextItemLength(int length) {
        byte[] request = request();
        int context = 6 + PduItems.FIXED_FIELDS + 4 + AssociateRequestPdu.APPLICATION_CONTEXT.length();
        request[context + 2] = (byte) (length >> 8);
        request[context + 3] = (byte) length;
        return request;
    }

    /** A request with a role selection for CT Image Storage whose UID length says {@code uidLength}. */
    private static byte[] withRoleSelectionUidLength(int uidLength) {
        byte[] request = AssociateRequestPdu.encode(AET, "HOSTILE", ScriptedPeer.MAX_PDU, new AssociationProposal(
                AssociationProposal.contexts(List.of(SOPClass.Verification), AssociationProposal.UNCOMPRESSED),
                List.of(new AssociationProposal.RoleSelection(SOPClass.CTImageStorage, true, false)), Map.of()));
        int uid = indexOf(request, SOPClass.CTImageStorage.getBytes(StandardCharsets.US_ASCII));
        request[uid - 2] = (byte) (uidLength >> 8);
        request[uid - 1] = (byte) uidLength;
        return request;
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @FunctionalInterface
    interface Client {
        void play(InputStream in, OutputStream out) throws Exception;
    }

    private static Client sends(byte[] bytes) {
        return (in, out) -> out.write(bytes);
    }

    /** Associates properly, then sends {@code bytes} where the first command is due. */
    private static Client afterAssociation(byte[] bytes) {
        return (in, out) -> {
            out.write(request());
            assertEquals(Pdus.A_ASSOCIATE_AC, ScriptedPeer.readPdu(in).type(), "the SCP accepts the association");
            out.write(bytes);
        };
    }

    static Stream<Arguments> hostileClients() throws Exception {
        byte[] echo = ScriptedPeer.pData(ScriptedPeer.pdv(1, 3, new CEchoRequestCommandMessage().getBytes()));
        return Stream.of(
                Arguments.of("HTTP instead of DICOM", sends("GET / HTTP/1.1\r\n\r\n".getBytes()),
                        "PDU type 0x47 where A-ASSOCIATE-RQ was due", true),
                Arguments.of("a request of length 0xFFFFFFF0", sends(withUint32(request(), 2, 0xFFFFFFF0L)),
                        "PDU type 0x1 of 4294967280 bytes, more than the 1048576", true),
                Arguments.of("a request of length 0x7FFFFFF0", sends(withUint32(request(), 2, 0x7FFFFFF0L)),
                        "PDU type 0x1 of 2147483632 bytes", true),
                Arguments.of("a request cut short", sends(Arrays.copyOf(request(), 40)),
                        "connection closed after 34 of the " + (request().length - 6) + " bytes", false),
                Arguments.of("a request shorter than its fixed fields", sends(ScriptedPeer.pdu(1, new byte[20])),
                        "A-ASSOCIATE-RQ of 20 bytes is shorter than its 68 fixed bytes", true),
                Arguments.of("a presentation context item past the request's end", sends(withContextItemLength(0xFFF0)),
                        "A-ASSOCIATE-RQ: item 0x20 says 65520 bytes", true),
                Arguments.of("a presentation context item too short", sends(withContextItemLength(2)),
                        "presentation context item of 2 bytes", true),
                Arguments.of("a role selection UID length past its sub-item", sends(withRoleSelectionUidLength(
                        0x322E)), "user information: sub-item 0x54 of 29 bytes cannot hold its SOP class UID of 12846",
                        true),
                Arguments.of("a P-DATA-TF of length 0xFFFFFFF0", afterAssociation(withUint32(echo, 2, 0xFFFFFFF0L)),
                        "P-DATA-TF of 4294967280 bytes", true),
                Arguments.of("a PDV past its PDU", afterAssociation(withUint32(echo, 6, 0x7FFFFFFFL)),
                        "PDV length 2147483647 does not fit", true),
                Arguments.of("an unknown PDU type", afterAssociation(ScriptedPeer.pdu(0x0B, new byte[4])),
                        "unexpected PDU type 0xb during DIMSE", true),
                Arguments.of("command fragments that never end", afterAssociation(ScriptedPeer.endlessCommand()), "command set of more than 65536 bytes", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileClients")
    void aHostileClientIsCutOffAndTheNextOneServed(String what, Client client, String reason, boolean aborted)
            throws Exception {
        byte[] answer = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> play(client));
        assertEquals(aborted, answer.length >= 10 && answer[0] == 0x07, "A-ABORT: " + Arrays.toString(answer));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            while (LOGGED.stream().noneMatch(r -> r.getMessage().contains(reason))) {
                Thread.sleep(5); // the SCP's task logs as it ends, after closing the connection
            }
        }, () -> "logged: " + LOGGED.stream().map(LogRecord::getMessage).toList());
        assertEchoServed();
    }

    /**
     * Any few bytes of a valid A-ASSOCIATE-RQ overwritten, and the PDU maybe cut short: the SCP answers or not, but
     * ends the connection once the client's output ends, and serves the next association.
     */
    @Property(tries = 200)
    void aMangledRequestLeavesTheScpServing(@ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 4095)
            Integer> offsets, @ForAll @Size(4) List<Byte> values, @ForAll @IntRange(min = 0, max = 4095) int cut)
            throws Exception {
        byte[] mangled = request();
        for (int i = 0; i < offsets.size(); i++) {
            mangled[offsets.get(i) % mangled.length] = values.get(i);
        }
        byte[] sent = cut % 3 == 0 ? Arrays.copyOf(mangled, cut % mangled.length) : mangled;
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> play(sends(sent)));
        if (cut % 10 == 0) {
            assertEchoServed(); // now and then, not 200 times: the table above checks it after each hostile client
        }
    }

    /** Plays the client, ends its output, and returns what the SCP sent back until it closed the connection. */
    private static byte[] play(Client client) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(ScriptedPeer.TIMEOUT_MS);
            client.play(socket.getInputStream(), socket.getOutputStream());
            socket.shutdownOutput();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the SCP did not close the connection; it sent " + answer.size() + " bytes");
            } catch (IOException reset) {
                // closed with unread bytes of ours: a reset is a close too
            }
            return answer.toByteArray();
        }
    }

    private static void assertEchoServed() {
        RemoteAe gateway = new RemoteAe(AET, "127.0.0.1", port, "GOOD", 1, 1_000, 1_000, 1_000, 60_000, 30_000,
                ScriptedPeer.MAX_PDU, RelationalQueries.AUTO, AET, RetrieveStrategy.AUTO, MoveRouting.ORIGINATOR, 4, 4, null);
        DimseAssociation association = DimseAssociation.open(gateway, new AssociationProposal(
                AssociationProposal.contexts(List.of(SOPClass.Verification), AssociationProposal.UNCOMPRESSED)));
        association.echo();
        association.release();
    }
}
