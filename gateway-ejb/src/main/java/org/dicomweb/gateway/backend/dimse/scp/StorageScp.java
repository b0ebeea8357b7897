package org.dicomweb.gateway.backend.dimse.scp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.net.ssl.SSLSocket;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CEchoResponseCommandMessage;
import com.pixelmed.network.CStoreResponseCommandMessage;

import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.association.DimseMessageReader;
import org.dicomweb.gateway.backend.dimse.association.MalformedPduException;
import org.dicomweb.gateway.backend.dimse.association.TlsHandshake;
import org.dicomweb.gateway.backend.dimse.config.CallingAets;
import org.dicomweb.gateway.backend.dimse.config.ScpSettings;
import org.dicomweb.gateway.backend.dimse.retrieve.MoveRetrieval;

/**
 * The gateway's DICOM listener: C-ECHO, the C-STOREs of the gateway's C-MOVEs, and (with gateway.scp.ingest-aet)
 * C-STOREs sent outside any C-MOVE; on the plain port and, with gateway.scp.tls-port, on a TLS-only one. PixelMed's
 * own dispatcher binds every interface and starts an unmanaged thread per association; these accept loops bind the
 * configured address and run each association on the managed executor, with TCP_NODELAY and a read timeout on its
 * socket, and can be stopped cleanly: {@link #close()} frees the ports and waits for the association tasks to end.
 * Only calling AE titles the current configuration knows get an association (the others an A-ASSOCIATE-RJ).
 */
public final class StorageScp implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StorageScp.class.getName());
    private static final long STOP_WAIT_MS = 5_000;

    private static final int C_STORE_RQ = 0x0001;
    private static final int C_ECHO_RQ = 0x0030;
    private static final AttributeTag MOVE_ORIGINATOR_AET = new AttributeTag(0x0000, 0x1030);
    private static final AttributeTag MOVE_ORIGINATOR_MESSAGE_ID = new AttributeTag(0x0000, 0x1031);

    private final ScpSettings settings;
    private final MoveRouter router;
    /** Where a C-STORE outside any C-MOVE goes (gateway.scp.ingest-aet), or null: refused. */
    private final ScpIngest ingest;
    private final ExecutorService executor;
    /** The calling AE titles accepted, as the configuration says at the moment an association is requested. */
    private final Supplier<CallingAets> callingAets;
    private final ScpMeters meters;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    /** The plain listener, and the TLS one if there is one (read by the health check's threads). */
    private final List<ServerSocket> serverSockets = new CopyOnWriteArrayList<>();
    private final List<Future<?>> acceptLoops = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public StorageScp(ScpSettings settings, ExecutorService executor, MoveRouter router, ScpIngest ingest,
            Supplier<CallingAets> callingAets, ScpMeters meters) {
        this.settings = settings;
        this.meters = meters;
        this.router = router;
        this.ingest = ingest;
        this.executor = executor;
        this.callingAets = callingAets;
    }

    /** Binds the plain port, then the TLS port (if configured); if that fails, the plain one is freed again. */
    public void start() throws IOException {
        listen(new ServerSocket(), settings.port());
        if (settings.tlsPort() != 0) {
            try {
                listen(settings.tls().serverSocket(), settings.tlsPort());
            } catch (IOException e) {
                close();
                throw new IOException("TLS port " + settings.tlsPort() + ": " + e.getMessage(), e);
            }
        }
    }

    private void listen(ServerSocket serverSocket, int port) throws IOException {
        serverSockets.add(serverSocket);
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(settings.bindAddress(), port));
        acceptLoops.add(executor.submit(() -> acceptConnections(serverSocket)));
    }

    public boolean isListening() {
        return !serverSockets.isEmpty() && serverSockets.stream().noneMatch(ServerSocket::isClosed)
                && acceptLoops.stream().noneMatch(Future::isDone);
    }

    private void acceptConnections(ServerSocket serverSocket) {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                connections.add(socket);
                try {
                    executor.submit(() -> serve(socket));
                } catch (RejectedExecutionException e) {
                    LOG.warning("DICOM association from " + socket.getRemoteSocketAddress()
                            + " refused: no free DIMSE thread");
                    closeQuietly(socket);
                    connections.remove(socket);
                }
            } catch (IOException e) {
                if (!serverSocket.isClosed()) {
                    LOG.log(Level.WARNING, "accepting a DICOM connection failed", e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(settings.dimseTimeoutMs());
            if (socket instanceof SSLSocket tls && !handshake(tls)) {
                return;
            }
            Association association = AssociationFactory.createNewAssociation(
                    AssociateRequestScreen.screen(socket, callingAets.get()), settings.aet(),
                    settings.maxPduLength(), AssociationFactory.getDefaultReceiveBufferSize(),
                    AssociationFactory.getDefaultSendBufferSize(), new ScpContextPolicy(settings.uncompressedOnly()));
            serve(association, socket);
        } catch (AReleaseException released) {
            // the peer ended the association normally; DimseMessageReader has answered its A-RELEASE-RQ
        } catch (UnknownCallingAeException e) {
            LOG.warning("DICOM association from " + e.callingAet() + " at " + socket.getRemoteSocketAddress()
                    + " rejected: calling AE title not recognized (the configured DIMSE AEs, "
                    + CallingAets.ACCEPTED_KEY + ")");
        } catch (MalformedPduException e) {
            LOG.warning("DICOM association from " + socket.getRemoteSocketAddress() + " aborted: " + e.getMessage());
            DimseAssociation.abortQuietly(socket);
        } catch (RuntimeException e) {
            // PixelMed's request parser failing on what the screen let through: the peer's bytes, not our state.
            LOG.log(Level.WARNING, "DICOM association from " + socket.getRemoteSocketAddress() + " aborted: " + e, e);
            DimseAssociation.abortQuietly(socket);
        } catch (Exception e) {
            if (!closed) {
                LOG.log(Level.FINE, "DICOM association from " + socket.getRemoteSocketAddress() + " ended: " + e, e);
            }
        } catch (LinkageError e) {
            // A task's error would otherwise vanish into its unread Future.
            LOG.log(Level.SEVERE, "DICOM association from " + socket.getRemoteSocketAddress() + " failed", e);
        } finally {
            closeQuietly(socket);
            connections.remove(socket);
        }
    }

    /** The TLS handshake, within the DIMSE timeout; a failure is logged with its reason, and ends the connection. */
    private boolean handshake(SSLSocket socket) {
        try {
            TlsHandshake.run(socket, settings.dimseTimeoutMs());
            return true;
        } catch (IOException e) {
            if (!closed) {
                LOG.warning("DICOM TLS connection from " + socket.getRemoteSocketAddress() + " refused: "
                        + TlsHandshake.reason(e, "the client"));
            }
            return false;
        }
    }

    /**
     * C-ECHO and C-STORE on an accepted association, until the peer releases it. PixelMed's StorageSOPClassSCP writes
     * every instance to a file and reports only its name: it cannot route an instance to the request waiting for it,
     * nor refuse one nobody waits for, hence this loop.
     */
    private void serve(Association association, Socket socket) throws Exception {
        DimseMessageReader reader = new DimseMessageReader(socket, settings.maxPduLength());
        String calling = ScpMeters.callingAet(callingAets.get(), association.getCallingAETitle());
        reader.onRead(meters.received(calling));
        while (true) {
            AttributeList command = reader.readCommand();
            int field = Attribute.getSingleIntegerValueOrDefault(command, TagFromName.CommandField, 0);
            String sopClass = Attribute.getSingleStringValueOrEmptyString(command, TagFromName.AffectedSOPClassUID);
            int messageId = Attribute.getSingleIntegerValueOrDefault(command, TagFromName.MessageID, 0);
            if (field == C_ECHO_RQ) {
                association.send(reader.contextId(), new CEchoResponseCommandMessage(sopClass, messageId, 0).getBytes(),
                        null);
            } else if (field == C_STORE_RQ) {
                String sopInstance = Attribute.getSingleStringValueOrEmptyString(command,
                        TagFromName.AffectedSOPInstanceUID);
                int status;
                try {
                    status = store(association, reader, command, sopClass, sopInstance);
                } catch (Exception e) {
                    meters.failed(calling);
                    throw e;
                }
                meters.stored(calling, status);
                association.send(reader.contextId(),
                        new CStoreResponseCommandMessage(sopClass, sopInstance, messageId, status).getBytes(), null);
            } else {
                LOG.warning("DICOM association from " + association.getCallingAETitle() + ": command 0x"
                        + Integer.toHexString(field) + " is not supported here; aborting");
                association.abort();
                return;
            }
        }
    }

    /**
     * An instance goes to the C-MOVE waiting for it; one sent outside any C-MOVE (no Move Originator Message ID) to
     * the ingest AE if there is one. Others are refused: a C-MOVE's instance that nobody waits for any more (its
     * retrieval ended or was cancelled) is not an arrival.
     */
    private int store(Association association, DimseMessageReader reader, AttributeList command, String sopClass,
            String sopInstance) throws Exception {
        int originatorMessageId = Attribute.getSingleIntegerValueOrDefault(command, MOVE_ORIGINATOR_MESSAGE_ID, -1);
        MoveRetrieval retrieval = router.route(
                Attribute.getSingleStringValueOrEmptyString(command, MOVE_ORIGINATOR_AET).strip(),
                originatorMessageId, association.getCallingAETitle(), sopInstance);
        if (retrieval == null && ingest != null && originatorMessageId < 0) {
            return ingest.store(association.getCallingAETitle(), sopClass, sopInstance,
                    association.getTransferSyntaxForPresentationContextID(reader.contextId()), reader);
        }
        if (retrieval == null) {
            reader.streamData(java.io.OutputStream.nullOutputStream());
            LOG.warning("refused instance " + sopInstance + " from " + association.getCallingAETitle()
                    + ": no retrieval is waiting for it");
            return MoveRetrieval.STORE_REFUSED;
        }
        return retrieval.deliver(sopClass, sopInstance,
                association.getTransferSyntaxForPresentationContextID(reader.contextId()), reader);
    }

    @Override
    public void close() {
        closed = true;
        serverSockets.forEach(StorageScp::closeQuietly);
        connections.forEach(StorageScp::closeQuietly);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS);
        try {
            for (Future<?> acceptLoop : acceptLoops) {
                acceptLoop.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            while (!connections.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "DICOM listener did not stop within " + STOP_WAIT_MS + " ms", e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing is all we can do; a failure to close leaves nothing else to try
        }
    }
}
