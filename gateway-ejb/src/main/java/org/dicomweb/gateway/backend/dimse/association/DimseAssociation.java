package org.dicomweb.gateway.backend.dimse.association;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.DicomNetworkException;

import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.query.FindExchange;
import org.dicomweb.gateway.backend.dimse.query.QueryNegotiation;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * One association the gateway initiated, on a socket of its own (PS3.8 §9): connected with the AE's connect timeout,
 * TCP_NODELAY (Nagle + delayed ACK cost ~40 ms per exchange) and the DIMSE timeout set before the A-ASSOCIATE-RQ goes
 * out, so that every step, association establishment and release included, is bounded; for an AE with TLS, the TLS
 * handshake follows the connect, bounded by the connect timeout. Written here rather than on
 * PixelMed's association initiator because that has no connect or read timeout, cannot propose SOP Class Extended
 * Negotiation, and copies every PDU. Any failure during an exchange marks the association unusable; the pool then
 * aborts it.
 */
public final class DimseAssociation {

    private static final Logger LOG = Logger.getLogger(DimseAssociation.class.getName());
    private static final byte[] A_RELEASE_RQ = {0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0};
    private static final int A_RELEASE_RP = 0x06;
    private static final String TLS_HANDSHAKE = "TLS handshake";

    private final RemoteAe ae;
    /** What DIMSE is read from and written to: the TCP connection, or the TLS socket over it. */
    private final Socket socket;
    /**
     * The TCP connection itself, a {@link SocketChannel}'s socket: what the write watch closes (a TLS close would wait
     * for the blocked write), and what {@link #closedByPeer} looks at without waiting.
     */
    private final Socket transport;
    /** {@link #closedByPeer}'s one byte: anything read into it ends the association. */
    private final ByteBuffer peek = ByteBuffer.allocate(1);
    private final AssociateResponsePdu.Negotiated negotiated;
    private final PDataWriter writer;
    private final DimseMessageReader reader;
    /**
     * The associations open in this deployment, for {@link #abortStalledWrites}: Java sockets have no write timeout,
     * so a PACS that stops taking data (a full receive window) would hold the writing thread for ever.
     */
    private static final Set<DimseAssociation> OPEN = ConcurrentHashMap.newKeySet();

    private volatile boolean usable = true;
    /** When the write under way began (0: none), and whether the watch cut it. */
    private volatile long writingSinceNanos;
    private volatile boolean writeStalled;
    private long idleSinceNanos;
    /** The AE's byte counters (null: no meters installed). */
    private final OperationMeters.Traffic traffic;
    /** The DIMSE operation under way (null: none), and since when: for its duration meter ({@link OperationMeters}). */
    private String operation;
    private long operationSinceNanos;

    private DimseAssociation(RemoteAe ae, Socket socket, Socket transport, AssociateResponsePdu.Negotiated negotiated)
            throws IOException {
        this.ae = ae;
        this.socket = socket;
        this.transport = transport;
        this.negotiated = negotiated;
        long peerMax = negotiated.peerMaxPduLength();
        this.writer = new PDataWriter(new WatchedOutput(socket.getOutputStream()),
                peerMax == 0 ? ae.maxPduLength() : (int) Math.min(peerMax, ae.maxPduLength()));
        this.reader = new DimseMessageReader(socket, ae.maxPduLength());
        traffic = OperationMeters.traffic(ae.aet());
        if (traffic != null) {
            reader.onRead(traffic.received()::increment);
        }
        OPEN.add(this);
    }

    public static DimseAssociation open(RemoteAe ae, AssociationProposal proposal) {
        Socket transport;
        try {
            // A channel's socket: blocking streams and read timeouts as a plain one, and a non-blocking read between
            // exchanges (closedByPeer)
            transport = SocketChannel.open().socket();
        } catch (IOException e) {
            throw failure(ae, "connect", e);
        }
        try {
            transport.setTcpNoDelay(true);
            transport.setSoTimeout(ae.dimseTimeoutMs());
            transport.connect(new InetSocketAddress(ae.host(), ae.port()), ae.connectTimeoutMs());
        } catch (IOException e) {
            closeQuietly(transport);
            throw failure(ae, "connect", e);
        }
        Socket socket = ae.tls() == null ? transport : secure(ae, transport);
        try {
            socket.getOutputStream().write(AssociateRequestPdu.encode(ae.calledAet(), ae.callingAet(),
                    ae.maxPduLength(), proposal));
            AssociateResponsePdu.Negotiated negotiated = AssociateResponsePdu.read(socket.getInputStream(), proposal);
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine(ae.aet() + ": association accepted: " + describe(negotiated));
            }
            return new DimseAssociation(ae, socket, transport, negotiated);
        } catch (MalformedPduException e) {
            // A peer that breaks the protocol is told so (PS3.8 §9.3.8) rather than only left.
            LOG.warning(ae.aet() + ": malformed answer to A-ASSOCIATE-RQ, aborting: " + e.getMessage());
            abortQuietly(socket);
            throw failure(ae, "association", e);
        } catch (DicomNetworkException | IOException | RuntimeException e) {
            closeQuietly(socket);
            throw failure(ae, "association", e);
        }
    }

    /**
     * The TLS socket over a connected one, its handshake done within the AE's connect timeout (TCP_NODELAY and the
     * DIMSE timeout are the connection's, and stay).
     */
    private static Socket secure(RemoteAe ae, Socket transport) {
        try {
            SSLSocket socket = ae.tls().clientSocket(transport, ae.host(), ae.port());
            TlsHandshake.run(socket, ae.connectTimeoutMs());
            return socket;
        } catch (IOException e) {
            closeQuietly(transport);
            throw failure(ae, TLS_HANDSHAKE, e);
        }
    }

    /** For logs and tests: accepted contexts, the peer's max PDU and its extended negotiation replies. */
    static String describe(AssociateResponsePdu.Negotiated negotiated) {
        return "contexts " + negotiated.contexts().values().stream()
                .map(c -> c.id() + ":" + c.abstractSyntax() + "/" + c.transferSyntax())
                .collect(Collectors.joining(", ", "[", "]"))
                + ", max PDU " + negotiated.peerMaxPduLength() + ", extended negotiation "
                + negotiated.extendedNegotiation().entrySet().stream()
                        .map(e -> e.getKey() + "=" + HexFormat.of().formatHex(e.getValue()))
                        .collect(Collectors.joining(", ", "{", "}"));
    }

    /** C-ECHO (PS3.7 §9.1.5) on the Verification presentation context. */
    public void echo() {
        exchange("C-ECHO", () -> {
            operationBegins("C-ECHO");
            send(contextFor(SOPClass.Verification), new CEchoRequestCommandMessage().getBytes(), null);
            int status = DimseCommands.status(reader.readCommand());
            operationEnds(status);
            if (status != 0) {
                throw new PeerFailureException(ae.aet() + ": C-ECHO answered with status 0x"
                        + Integer.toHexString(status), null);
            }
            return null;
        });
    }

    /** Runs one exchange; any failure marks the association unusable and is turned into a gateway outcome. */
    public <T> T exchange(String what, Exchange<T> exchange) {
        try {
            return exchange.run();
        } catch (GatewayException e) {
            usable = false;
            operationEnded(OperationMeters.ERROR);
            throw e;
        } catch (DicomNetworkException | AReleaseException | DicomException | IOException | RuntimeException e) {
            usable = false;
            operationEnded(OperationMeters.ERROR);
            if (e instanceof MalformedPduException) {
                LOG.warning(ae.aet() + ": protocol violation during " + what + ", aborting: " + e.getMessage());
            }
            throw failure(what, e);
        }
    }

    /** An operation's request is about to be sent: its duration is measured from here. */
    public synchronized void operationBegins(String name) {
        operation = name;
        operationSinceNanos = System.nanoTime();
    }

    /** The operation's final response arrived with {@code status}. */
    public void operationEnds(int status) {
        operationEnded(OperationMeters.outcome(status));
    }

    /** Synchronized: an abort may come from another thread than the operation's (a client gone). */
    private synchronized void operationEnded(String outcome) {
        if (operation != null) {
            OperationMeters.record(ae.aet(), operation, outcome, System.nanoTime() - operationSinceNanos);
            operation = null;
        }
    }

    /** A DIMSE message: the command, then the data set if there is one. */
    public void send(byte contextId, byte[] command, byte[] data) throws IOException {
        writer.sendCommand(contextId, command);
        if (data != null) {
            try (OutputStream out = writer.dataStream(contextId)) {
                out.write(data);
            }
        }
    }

    /** After {@link #send} of a command announcing a data set: the data set, streamed; closing sends its end. */
    public OutputStream dataStream(byte contextId) {
        return writer.dataStream(contextId);
    }

    /** Reads the messages the peer sends on this association. */
    public DimseMessageReader reader() {
        return reader;
    }

    /** The first accepted presentation context for an abstract syntax. */
    public byte contextFor(String abstractSyntax) throws DicomNetworkException {
        return contextFor(abstractSyntax, null);
    }

    /** The first accepted presentation context for an abstract syntax in a transfer syntax (null: any). */
    public byte contextFor(String abstractSyntax, String transferSyntax) throws DicomNetworkException {
        for (AssociateResponsePdu.AcceptedContext context : negotiated.contexts().values()) {
            if (abstractSyntax.equals(context.abstractSyntax())
                    && (transferSyntax == null || transferSyntax.equals(context.transferSyntax()))) {
                return (byte) context.id();
            }
        }
        throw new DicomNetworkException(ae.aet() + " accepted no presentation context for " + abstractSyntax
                + (transferSyntax == null ? "" : " in " + transferSyntax));
    }

    public String transferSyntaxOf(byte contextId) throws DicomNetworkException {
        AssociateResponsePdu.AcceptedContext context = negotiated.contexts().get(contextId & 0xFF);
        if (context == null) {
            throw new DicomNetworkException("presentation context " + (contextId & 0xFF) + " was not accepted");
        }
        return context.transferSyntax();
    }

    /** What the PACS accepted of the extended negotiation proposed for Study Root C-FIND. */
    public QueryNegotiation queryNegotiation() {
        return QueryNegotiation.fromReply(negotiated.extendedNegotiation().get(FindExchange.SOP_CLASS));
    }

    AssociateResponsePdu.Negotiated negotiated() {
        return negotiated;
    }

    public boolean isUsable() {
        return usable && !isClosed();
    }

    private boolean isClosed() {
        return socket.isClosed() || transport.isClosed();
    }

    public RemoteAe ae() {
        return ae;
    }

    void markIdle() {
        idleSinceNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - idleSinceNanos;
    }

    /**
     * Whether the peer has ended the association while it lay idle, seen without waiting: it closed the connection
     * (FIN or RST), or sent anything at all (an A-RELEASE-RQ, an A-ABORT, a TLS alert or record): no PDU is due
     * between exchanges, so any byte puts the association out of step. Looks at what the reader read ahead, what TLS
     * decrypted and nobody read, then reads one byte from the TCP connection without blocking: nothing there (a live,
     * quiet peer) reads nothing and consumes nothing, so a TLS session is left as it was. A few microseconds (two
     * fcntl and one read), not a round trip. What it cannot see is a connection lost without a word (a host gone, a
     * firewall that dropped it): that is for the C-ECHO of an association idle for long ({@link AssociationPool}).
     */
    boolean closedByPeer() {
        try {
            if (reader.hasBufferedInput() || socket.getInputStream().available() > 0 || peerSentOrLeft()) {
                usable = false;
                return true;
            }
            return false;
        } catch (IOException e) {
            usable = false; // a reset, or a socket closed under it
            return true;
        }
    }

    /** One non-blocking read of the TCP connection: -1 (end of stream) or a byte mean the peer is done with it. */
    private boolean peerSentOrLeft() throws IOException {
        SocketChannel channel = transport.getChannel();
        synchronized (channel.blockingLock()) {
            channel.configureBlocking(false);
            try {
                peek.clear();
                return channel.read(peek) != 0;
            } finally {
                channel.configureBlocking(true); // the socket's streams work in blocking mode only
            }
        }
    }

    /**
     * A-RELEASE-RQ, then waits for the A-RELEASE-RP (PS3.8 §7.2) and closes the socket whatever the peer answers.
     * PDUs before it (a late P-DATA, the peer's own A-RELEASE-RQ) are skipped for at most the DIMSE timeout in all,
     * and none longer than the maximum PDU length announced: a peer that streams instead of answering, or announces
     * gigabytes, cannot hold the thread.
     */
    public void release() {
        usable = false;
        OPEN.remove(this);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ae.dimseTimeoutMs());
        try {
            socket.getOutputStream().write(A_RELEASE_RQ);
            InputStream in = socket.getInputStream();
            String unanswered = "no A-RELEASE-RP within " + ae.dimseTimeoutMs() + " ms";
            while (unanswered != null && System.nanoTime() < deadline) {
                byte[] header = in.readNBytes(6);
                long length = header.length < 6 ? 0 : Pdus.uint32(header, 2);
                if (header.length < 6 || (header[0] & 0xFF) == A_RELEASE_RP) {
                    unanswered = null;
                } else if (length > ae.maxPduLength()) {
                    unanswered = "a PDU of " + length + " bytes where the A-RELEASE-RP was due";
                    break;
                } else {
                    in.skipNBytes(length);
                }
            }
            if (unanswered != null) {
                LOG.fine(ae.aet() + ": " + unanswered + "; closing the connection");
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, ae.aet() + ": A-RELEASE not answered; closing the connection", e);
        } finally {
            closeQuietly(socket);
        }
    }

    /** A-ABORT, then close: for associations in an unknown state. */
    public void abort() {
        usable = false;
        operationEnded(OperationMeters.ERROR);
        OPEN.remove(this);
        abortQuietly(socket);
    }

    /** A-ABORT, then close; shared with the Storage SCP, which aborts associations whose peer broke the protocol. */
    public static void abortQuietly(Socket socket) {
        try {
            socket.getOutputStream().write(Pdus.A_ABORT);
        } catch (IOException e) {
            // The socket may already be gone; closing it below is all that is left to do.
        } finally {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing more can be done with a socket that fails to close.
        }
    }

    /** Turns a transport or protocol failure into the gateway's outcome kinds, with a one-line reason. */
    private GatewayException failure(String what, Exception e) {
        if (writeStalled) {
            return new PeerTimeoutException(ae.aet() + " at " + ae.host() + ":" + ae.port() + ": took no data of the "
                    + what + " for " + ae.dimseTimeoutMs() + " ms", e);
        }
        return failure(ae, what, e);
    }

    /**
     * Closes every association whose current write has not moved for its DIMSE timeout; the blocked write then fails
     * (a socket closed under it) and its exchange ends with a timeout. Called periodically. No A-ABORT is sent: it
     * would wait behind the data the peer does not take.
     */
    public static void abortStalledWrites() {
        OPEN.forEach(DimseAssociation::abortIfWriteStalled);
    }

    private void abortIfWriteStalled() {
        if (isClosed()) {
            OPEN.remove(this); // closed on a path that neither released nor aborted it: nothing left to watch
            return;
        }
        long since = writingSinceNanos;
        if (since != 0 && System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(ae.dimseTimeoutMs())) {
            LOG.warning(ae.aet() + ": the PACS took no data for " + ae.dimseTimeoutMs()
                    + " ms (dimse-timeout-ms); closing the association");
            writeStalled = true;
            usable = false;
            OPEN.remove(this);
            closeQuietly(transport);
        }
    }

    /** The socket's output, with the start of each write kept for {@link #abortStalledWrites}. */
    private final class WatchedOutput extends java.io.FilterOutputStream {
        WatchedOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            writingSinceNanos = System.nanoTime() | 1; // never 0 while writing
            try {
                out.write(bytes, offset, length);
            } finally {
                writingSinceNanos = 0;
            }
            if (traffic != null) {
                traffic.sent().increment(length);
            }
        }
    }

    static GatewayException failure(RemoteAe ae, String what, Exception e) {
        String where = ae.aet() + " at " + ae.host() + ":" + ae.port();
        if (isTimeout(e)) {
            int ms = "connect".equals(what) || TLS_HANDSHAKE.equals(what) ? ae.connectTimeoutMs() : ae.dimseTimeoutMs();
            return new PeerTimeoutException(where + ": no answer to " + what + " within " + ms + " ms", e);
        }
        if (isRefused(e)) {
            return new PeerFailureException(where + ": connection refused", e);
        }
        if (TLS_HANDSHAKE.equals(what) && e instanceof IOException io) {
            return new PeerFailureException(where + ": TLS handshake failed: " + TlsHandshake.reason(io, ae.aet()), e);
        }
        if (e instanceof SSLException tls && "association".equals(what)) {
            // TLS 1.3: a server refuses the client's certificate after the client's side of the handshake is done,
            // so the refusal arrives where the A-ASSOCIATE-AC was due
            return new PeerFailureException(where + ": " + what + " failed: TLS: " + TlsHandshake.reason(tls, ae.aet()),
                    e);
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return new PeerFailureException(where + ": " + what + " failed: " + firstLine(detail), e);
    }

    /** The message reader keeps socket timeouts only as "timed out" in its DicomNetworkException's message. */
    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || (t.getMessage() != null && t.getMessage().contains("timed out"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    @FunctionalInterface
    public interface Exchange<T> {
        T run() throws DicomNetworkException, AReleaseException, DicomException, IOException;
    }
}
