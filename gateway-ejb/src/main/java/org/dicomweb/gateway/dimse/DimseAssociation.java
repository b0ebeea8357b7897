package org.dicomweb.gateway.dimse;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.LinkedList;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.SCUSCPRoleSelection;

import org.dicomweb.gateway.config.RemoteAe;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * One open association to a remote AE, on PixelMed's association layer. PixelMed's SCU classes open and release an
 * association inside their constructors, so DIMSE exchanges on a pooled association are written here, one method per
 * DIMSE service. Any failure during an exchange marks the association unusable; the pool then aborts it.
 */
final class DimseAssociation {

    /**
     * PixelMed keeps the association's socket in a protected field and never sets TCP_NODELAY nor a read timeout on
     * it. Without TCP_NODELAY each request/response pays Nagle + delayed ACK (~40 ms measured); without a read timeout
     * a silent PACS would hold a thread for ever. So we reach the field once, by reflection.
     */
    private static final Field SOCKET_FIELD = socketField();

    private final RemoteAe ae;
    private final Association association;
    private final Socket socket;
    private volatile boolean usable = true;
    private long idleSinceNanos;

    private DimseAssociation(RemoteAe ae, Association association, Socket socket) {
        this.ae = ae;
        this.association = association;
        this.socket = socket;
    }

    static DimseAssociation open(RemoteAe ae, LinkedList<PresentationContext> contexts) {
        return open(ae, contexts, new LinkedList<>());
    }

    /** With SCP/SCU role selections: C-GET needs the SCP role for the storage SOP classes it receives. */
    static DimseAssociation open(RemoteAe ae, LinkedList<PresentationContext> contexts,
            LinkedList<SCUSCPRoleSelection> roleSelections) {
        probeConnect(ae);
        try {
            Association association = AssociationFactory.createNewAssociation(ae.host(), ae.port(), ae.calledAet(),
                    ae.callingAet(), ae.maxPduLength(), AssociationFactory.getDefaultReceiveBufferSize(),
                    AssociationFactory.getDefaultSendBufferSize(), contexts, roleSelections, false, null, null);
            Socket socket = socketOf(association);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(ae.dimseTimeoutMs());
            return new DimseAssociation(ae, association, socket);
        } catch (DicomNetworkException | IOException e) {
            throw failure(ae, "association", e);
        }
    }

    /**
     * PixelMed connects with {@code new Socket(host, port)}, which has no connect timeout: a host that silently drops
     * packets would block for minutes. A connect with our timeout first turns that into a prompt, clear failure; the
     * probe connection is closed before any PDU is sent.
     */
    private static void probeConnect(RemoteAe ae) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(ae.host(), ae.port()), ae.connectTimeoutMs());
        } catch (IOException e) {
            throw failure(ae, "connect", e);
        }
    }

    /** C-ECHO (PS3.7 §9.1.5) on the Verification presentation context. */
    void echo() {
        exchange("C-ECHO", () -> {
            byte contextId = association.getSuitablePresentationContextID(SOPClass.Verification);
            StatusHandler handler = new StatusHandler();
            association.setReceivedDataHandler(handler);
            association.send(contextId, new CEchoRequestCommandMessage().getBytes(), null);
            association.waitForCommandPDataPDUs();
            if (handler.getStatus() != 0) {
                throw new PeerFailureException(ae.aet() + ": C-ECHO answered with status 0x"
                        + Integer.toHexString(handler.getStatus()), null);
            }
            return null;
        });
    }

    /** Runs one exchange; any failure marks the association unusable and is turned into a gateway outcome. */
    <T> T exchange(String what, Exchange<T> exchange) {
        try {
            return exchange.run();
        } catch (GatewayException e) {
            usable = false;
            throw e;
        } catch (DicomNetworkException | AReleaseException | DicomException | IOException | RuntimeException e) {
            usable = false;
            throw failure(what, e);
        }
    }

    Association pixelmed() {
        return association;
    }

    boolean isUsable() {
        return usable && !socket.isClosed();
    }

    RemoteAe ae() {
        return ae;
    }

    void markIdle() {
        idleSinceNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - idleSinceNanos;
    }

    /**
     * Whether the peer has closed the connection (or sent something unasked, e.g. an A-ABORT) while it lay idle: a
     * read that waits 1 ms finds the end of the stream at once, and a live, quiet peer by its timeout. A PACS that
     * is restarted within a second of an association's last use would otherwise fail the next request on it.
     */
    boolean closedByPeer() {
        try {
            socket.setSoTimeout(1);
            try {
                socket.getInputStream().read();
                usable = false; // the end of the stream, or a byte that puts the association out of step
                return true;
            } finally {
                socket.setSoTimeout(ae.dimseTimeoutMs());
            }
        } catch (SocketTimeoutException quiet) {
            return false;
        } catch (IOException e) {
            usable = false;
            return true;
        }
    }

    /** A-RELEASE; falls back to closing the socket if the peer does not answer properly. */
    void release() {
        usable = false;
        try {
            association.release();
        } catch (DicomNetworkException | RuntimeException e) {
            closeSocket();
        }
    }

    /** A-ABORT, then close: for associations in an unknown state. */
    void abort() {
        usable = false;
        try {
            association.abort();
        } catch (DicomNetworkException | RuntimeException e) {
            // The socket may already be gone; closing it below is all that is left to do.
        } finally {
            closeSocket();
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing more can be done with a socket that fails to close.
        }
    }

    /** Turns a transport or protocol failure into the gateway's outcome kinds, with a one-line reason. */
    private GatewayException failure(String what, Exception e) {
        return failure(ae, what, e);
    }

    static GatewayException failure(RemoteAe ae, String what, Exception e) {
        String where = ae.aet() + " at " + ae.host() + ":" + ae.port();
        if (isTimeout(e)) {
            int ms = "connect".equals(what) ? ae.connectTimeoutMs() : ae.dimseTimeoutMs();
            return new PeerTimeoutException(where + ": no answer to " + what + " within " + ms + " ms", e);
        }
        if (isRefused(e)) {
            return new PeerFailureException(where + ": connection refused", e);
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return new PeerFailureException(where + ": " + what + " failed: " + firstLine(detail), e);
    }

    /** PixelMed wraps socket timeouts in its own exceptions, sometimes keeping only the message. */
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

    /** The socket under a PixelMed association (ours or one the Storage SCP accepted). */
    static Socket socketOf(Association association) {
        try {
            return (Socket) SOCKET_FIELD.get(association);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("PixelMed's Association.socket is not accessible", e);
        }
    }

    private static Field socketField() {
        try {
            Field field = Association.class.getDeclaredField("socket");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FunctionalInterface
    interface Exchange<T> {
        T run() throws DicomNetworkException, AReleaseException, DicomException, IOException;
    }

    /** Keeps the Status of a single, final response (C-ECHO and the like). */
    private static final class StatusHandler extends CompositeResponseHandler {
        @Override
        protected void evaluateStatusAndSetSuccess(AttributeList list) {
            status = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Status, 0xFFFF);
            success = status == 0;
        }
    }
}
