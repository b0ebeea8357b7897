package org.dicomweb.gateway.dimse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.StorageSOPClassSCP;

import org.dicomweb.gateway.config.ScpSettings;

/**
 * The gateway's DICOM listener. PixelMed's own dispatcher binds every interface and starts an unmanaged thread per
 * association; this accept loop binds the configured address and runs each association on the managed executor, with
 * TCP_NODELAY and a read timeout on its socket, and can be stopped cleanly: {@link #close()} frees the port and waits
 * for the association tasks to end.
 */
final class StorageScp implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StorageScp.class.getName());
    private static final long STOP_WAIT_MS = 5_000;

    private final ScpSettings settings;
    private final ExecutorService executor;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private ServerSocket serverSocket;
    private Future<?> acceptLoop;

    StorageScp(ScpSettings settings, ExecutorService executor) {
        this.settings = settings;
        this.executor = executor;
    }

    void start() throws IOException {
        serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(settings.bindAddress(), settings.port()));
        acceptLoop = executor.submit(this::acceptConnections);
    }

    boolean isListening() {
        return serverSocket != null && !serverSocket.isClosed() && !acceptLoop.isDone();
    }

    private void acceptConnections() {
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
            // No storage folder, file strategy nor object handler: the policy accepts Verification only.
            new StorageSOPClassSCP(socket, settings.aet(), settings.maxPduLength(),
                    AssociationFactory.getDefaultReceiveBufferSize(), AssociationFactory.getDefaultSendBufferSize(),
                    null, null, null, null, null, null, null, new VerificationOnlyPolicy()).run();
        } catch (Exception e) {
            if (!serverSocket.isClosed()) {
                LOG.log(Level.FINE, "DICOM association from " + socket.getRemoteSocketAddress() + " ended", e);
            }
        } catch (LinkageError e) {
            // A task's error would otherwise vanish into its unread Future.
            LOG.log(Level.SEVERE, "DICOM association from " + socket.getRemoteSocketAddress() + " failed", e);
        } finally {
            closeQuietly(socket);
            connections.remove(socket);
        }
    }

    @Override
    public void close() {
        if (serverSocket == null) {
            return;
        }
        closeQuietly(serverSocket);
        connections.forEach(StorageScp::closeQuietly);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS);
        try {
            acceptLoop.get(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
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
