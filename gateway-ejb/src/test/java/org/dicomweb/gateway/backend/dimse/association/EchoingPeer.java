package org.dicomweb.gateway.backend.dimse.association;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.network.CEchoResponseCommandMessage;

import org.dicomweb.gateway.backend.dimse.config.MoveRouting;
import org.dicomweb.gateway.backend.dimse.config.RelationalQueries;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.config.RetrieveStrategy;

/**
 * A PACS on loopback that accepts every association and answers every C-ECHO, counting both: what the tests of idle
 * associations assert on (how many associations the gateway opened, how many echoes it sent). A test ends the latest
 * association from the peer's side while the gateway holds it idle ({@link #endLatest}). Every read has
 * {@link ScriptedPeer#TIMEOUT_MS}; closing the peer closes every connection.
 */
final class EchoingPeer implements AutoCloseable {

    /** How the peer ends an association the gateway holds idle. */
    enum Ending {
        /** Closes the connection (FIN), as a PACS that shuts down. */
        CLOSE,
        /** Closes it with SO_LINGER 0 (RST), as a PACS process killed or a host that forgot the connection. */
        RESET,
        /** A-ABORT, then close, as a PACS that aborts associations idle too long. */
        ABORT,
        /** A-RELEASE-RQ, and waits for the answer: a PACS that releases associations idle too long. */
        RELEASE_REQUEST,
        /** A P-DATA-TF nobody asked for: the association is out of step. */
        STRAY_PDU
    }

    private static final int A_RELEASE_RQ = 0x05;
    private static final byte[] A_RELEASE_RP = {0x06, 0, 0, 0, 0, 4, 0, 0, 0, 0};

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<Thread> servers = new CopyOnWriteArrayList<>();
    private final AtomicInteger associations = new AtomicInteger();
    private final AtomicInteger echoes = new AtomicInteger();

    EchoingPeer() throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptAll, "echoing-peer");
        acceptor.start();
    }

    /** An AE for this peer: short timeouts, one association, C-ECHO before reuse after {@code echoAfterIdleMs}. */
    RemoteAe ae(int echoAfterIdleMs) {
        return new RemoteAe("ECHOING", "127.0.0.1", server.getLocalPort(), "GWTEST", 1, 1_000, 1_000, 1_000, 60_000,
                echoAfterIdleMs, ScriptedPeer.MAX_PDU, RelationalQueries.AUTO, "ECHOING", RetrieveStrategy.AUTO,
                MoveRouting.ORIGINATOR, 4, 4, null);
    }

    int associations() {
        return associations.get();
    }

    int echoes() {
        return echoes.get();
    }

    /**
     * Ends the association accepted last, from this side; returns once the bytes (or the close) are sent. A socket
     * closed while its thread is blocked reading is only closed when that thread leaves the read: the wait for it
     * makes sure the FIN or RST is on its way.
     */
    void endLatest(Ending ending) throws IOException, InterruptedException {
        Socket socket = connections.get(connections.size() - 1);
        OutputStream out = socket.getOutputStream();
        switch (ending) {
            case CLOSE -> socket.close();
            case RESET -> {
                socket.setSoLinger(true, 0);
                socket.close();
            }
            case ABORT -> {
                out.write(Pdus.A_ABORT);
                socket.close();
            }
            case RELEASE_REQUEST -> out.write(new byte[] {0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0});
            case STRAY_PDU -> out.write(ScriptedPeer.pData(ScriptedPeer.pdv(1, ScriptedPeer.COMMAND_LAST,
                    new byte[8])));
        }
        if (socket.isClosed()) {
            servers.get(servers.size() - 1).join(ScriptedPeer.TIMEOUT_MS);
        }
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setSoTimeout(ScriptedPeer.TIMEOUT_MS);
                // what endLatest sends goes out at once, not held by Nagle until the gateway's delayed ACK of the
                // last C-ECHO-RSP (~40 ms)
                socket.setTcpNoDelay(true);
                connections.add(socket);
                Thread serving = new Thread(() -> serve(socket), "echoing-peer-association");
                serving.setDaemon(true);
                servers.add(serving);
                serving.start();
            } catch (IOException closed) {
                return; // the peer was closed
            }
        }
    }

    /** Accepts the association, answers C-ECHOs until the gateway releases or aborts it, or it is ended here. */
    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            out.write(ScriptedPeer.accept(ScriptedPeer.readPdu(in).body(), Map.of()));
            associations.incrementAndGet();
            Pdus.Pdu pdu = ScriptedPeer.readPdu(in);
            for (; pdu.type() == ScriptedPeer.P_DATA_TF; pdu = ScriptedPeer.readPdu(in)) {
                echoes.incrementAndGet(); // a C-ECHO-RQ is one PDU with no data set: the only P-DATA the tests send
                out.write(ScriptedPeer.pData(ScriptedPeer.pdv(1, ScriptedPeer.COMMAND_LAST,
                        new CEchoResponseCommandMessage(SOPClass.Verification, 1, 0).getBytes())));
            }
            if (pdu.type() == A_RELEASE_RQ) {
                out.write(A_RELEASE_RP);
            }
        } catch (Exception ended) {
            // the gateway released or aborted the association, or the test ended it from this side
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        for (Socket socket : connections) {
            socket.close();
        }
        acceptor.join(ScriptedPeer.TIMEOUT_MS);
    }
}
