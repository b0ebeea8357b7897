package org.dicomweb.gateway.backend.dimse.association;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dicomweb.gateway.backend.dimse.config.MoveRouting;
import org.dicomweb.gateway.backend.dimse.config.RelationalQueries;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.config.RetrieveStrategy;
import org.dicomweb.gateway.error.GatewayException;

/**
 * A peer on loopback that plays a script on the one connection it accepts, then records what the gateway sends until
 * it closes the connection: the tests' hostile PACS, and (with {@link #accept}) a PACS that negotiates what a test
 * wants. Written on the gateway's own PDU code and plain sockets; every read has {@link #TIMEOUT_MS}.
 */
public final class ScriptedPeer implements AutoCloseable {

    public static final int TIMEOUT_MS = 2_000;
    public static final int MAX_PDU = 65536;
    static final int P_DATA_TF = 0x04;
    static final int COMMAND_LAST = 0x03;

    @FunctionalInterface
    interface Script {
        void play(Socket socket) throws Exception;
    }

    /** What the gateway sent after the script, and whether it closed the connection (within the timeout). */
    record After(byte[] bytes, boolean closed) {
        boolean startsWithAbort() {
            return bytes.length >= 10 && bytes[0] == 0x07 && Pdus.uint32(bytes, 2) == 4;
        }
    }

    private final ServerSocket server;
    private final Thread thread;
    private volatile After after;
    private volatile Throwable scriptFailure;

    ScriptedPeer(Script script) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        server.setSoTimeout(TIMEOUT_MS);
        thread = new Thread(() -> run(script), "scripted-peer");
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** An AE for this peer: short timeouts, one association, Relational Queries auto. */
    RemoteAe ae() {
        return new RemoteAe("SCRIPTED", "127.0.0.1", port(), "GWTEST", 1, 1_000, 1_000, 1_000, 60_000, 30_000, MAX_PDU,
                RelationalQueries.AUTO, "SCRIPTED", RetrieveStrategy.AUTO, MoveRouting.ORIGINATOR, 4, 4, null);
    }

    private void run(Script script) {
        try (Socket socket = server.accept()) {
            socket.setSoTimeout(TIMEOUT_MS);
            script.play(socket);
            after = rest(socket.getInputStream());
        } catch (Throwable e) {
            scriptFailure = e;
        }
    }

    private static After rest(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
            return new After(bytes.toByteArray(), true);
        } catch (SocketTimeoutException open) {
            return new After(bytes.toByteArray(), false);
        } catch (IOException reset) {
            return new After(bytes.toByteArray(), true); // closed with unread data: a reset is a close too
        }
    }

    /** Waits (bounded) for the script and the rest of the connection; fails if the script itself failed. */
    After after() throws InterruptedException {
        thread.join(3L * TIMEOUT_MS + 1_000);
        if (thread.isAlive()) {
            throw new AssertionError("the scripted peer did not finish");
        }
        if (scriptFailure != null) {
            throw new AssertionError("the scripted peer failed", scriptFailure);
        }
        return after;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        thread.join(3L * TIMEOUT_MS + 1_000);
    }

    /**
     * The failure was found by the gateway's checks, not run into: no exception of the JDK's or PixelMed's own (an
     * index out of bounds, a negative array size, an allocation failure) anywhere in its causes.
     */
    static void assertNoCrash(GatewayException failure) {
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t instanceof RuntimeException || t instanceof Error) {
                throw new AssertionError("the reader crashed instead of failing: " + t, failure);
            }
        }
    }

    // ---- PDUs the scripts read and write

    /** One PDU whole: type, then the body (what follows the 6-byte header). */
    public static Pdus.Pdu readPdu(InputStream in) throws IOException {
        byte[] header = in.readNBytes(6);
        if (header.length < 6) {
            throw new IOException("the gateway closed the connection");
        }
        return new Pdus.Pdu(header[0] & 0xFF, in.readNBytes((int) Pdus.uint32(header, 2)));
    }

    /** A PDU of {@code type} around {@code body}. */
    public static byte[] pdu(int type, byte[] body) {
        byte[] pdu = new byte[6 + body.length];
        pdu[0] = (byte) type;
        Pdus.putUint32(pdu, 2, body.length);
        System.arraycopy(body, 0, pdu, 6, body.length);
        return pdu;
    }

    /** A PDV: 4-byte length, context ID, message control header ({@link #COMMAND_LAST}, 0x02 for data, last). */
    public static byte[] pdv(int contextId, int flags, byte[] value) {
        byte[] pdv = new byte[6 + value.length];
        Pdus.putUint32(pdv, 0, 2 + value.length);
        pdv[4] = (byte) contextId;
        pdv[5] = (byte) flags;
        System.arraycopy(value, 0, pdv, 6, value.length);
        return pdv;
    }

    public static byte[] pData(byte[]... pdvs) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] pdv : pdvs) {
            body.writeBytes(pdv);
        }
        return pdu(P_DATA_TF, body.toByteArray());
    }

    /**
     * Command fragments past {@link DimseMessageReader#MAX_COMMAND_LENGTH}, none of them the last: two of 30 000
     * bytes, then the headers of a PDU and a PDV announcing 10 000 more that never come. The reader must give up at
     * that header, with no bytes of ours unread (which would turn its close into a reset that hides the A-ABORT).
     */
    public static byte[] endlessCommand() {
        byte[] fragment = pData(pdv(1, 1, new byte[30_000]));
        byte[] announced = Arrays.copyOf(pData(pdv(1, 1, new byte[10_000])), 12);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(fragment);
        bytes.writeBytes(fragment);
        bytes.writeBytes(announced);
        return bytes.toByteArray();
    }

    /** The proposed presentation contexts of an A-ASSOCIATE-RQ body: ID to abstract syntax and transfer syntaxes. */
    static Map<Integer, List<String>> proposedContexts(byte[] request) throws MalformedPduException {
        Map<Integer, List<String>> contexts = new LinkedHashMap<>();
        PduItems.each(request, PduItems.FIXED_FIELDS, request.length, "RQ", (type, value, length) -> {
            if (type == PduItems.PRESENTATION_CONTEXT_RQ) {
                List<String> syntaxes = new ArrayList<>();
                PduItems.each(request, value + 4, value + length, "context", (sub, at, size) ->
                        syntaxes.add(new String(request, at, size, StandardCharsets.US_ASCII)));
                contexts.put(request[value] & 0xFF, syntaxes);
            }
        });
        return contexts;
    }

    /**
     * The A-ASSOCIATE-AC a permissive PACS gives the request: every context accepted in its first proposed transfer
     * syntax, our maximum PDU length, and the SOP Class Extended Negotiation replies given (PS3.7 D.3.3.5).
     */
    static byte[] accept(byte[] request, Map<String, byte[]> extendedReplies) throws MalformedPduException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(request, 0, PduItems.FIXED_FIELDS); // version, called and calling AE titles, reserved: echoed
        item(body, 0x10, ascii(AssociateRequestPdu.APPLICATION_CONTEXT));
        proposedContexts(request).forEach((id, syntaxes) -> {
            ByteArrayOutputStream context = new ByteArrayOutputStream();
            context.writeBytes(new byte[] {(byte) (int) id, 0, 0, 0});
            item(context, 0x40, ascii(syntaxes.get(1))); // [0] is the abstract syntax
            item(body, 0x21, context.toByteArray());
        });
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        byte[] max = new byte[4];
        Pdus.putUint32(max, 0, MAX_PDU);
        item(user, 0x51, max);
        item(user, 0x52, ascii("1.2.826.0.1.3680043.2.1143.999"));
        extendedReplies.forEach((sopClass, reply) -> {
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            byte[] uid = ascii(sopClass);
            value.writeBytes(new byte[] {(byte) (uid.length >> 8), (byte) uid.length});
            value.writeBytes(uid);
            value.writeBytes(reply);
            item(user, 0x56, value.toByteArray());
        });
        item(body, 0x50, user.toByteArray());
        return pdu(Pdus.A_ASSOCIATE_AC, body.toByteArray());
    }

    static void item(ByteArrayOutputStream out, int type, byte[] value) {
        out.writeBytes(new byte[] {(byte) type, 0, (byte) (value.length >> 8), (byte) value.length});
        out.writeBytes(value);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
