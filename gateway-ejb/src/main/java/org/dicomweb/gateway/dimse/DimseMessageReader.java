package org.dicomweb.gateway.dimse;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;

/**
 * Reads DIMSE messages one at a time from an established association, straight from its socket: the command whole,
 * then the data set either whole or copied into a sink as its PDVs arrive, through one reused read-ahead buffer.
 * Each socket read takes whatever has arrived (up to 64 KiB), so the small headers of PDUs and PDVs cost no reads of
 * their own: a C-FIND's twenty small responses used to take ~120 reads, now one or two.
 * <p>
 * Written here rather than on PixelMed's {@code waitForOnePDataPDU} because that allocates each PDU as a new array
 * and each PDV value as another copy: measured at ~3.3 bytes of garbage per byte retrieved, the largest CPU cost of a
 * WADO-RS retrieval. Serves both the associations the gateway initiates ({@link DimseAssociation}) and those its
 * Storage SCP accepts through PixelMed, which reads its socket unbuffered and only when asked: after association
 * establishment the stream is ours, PDU by PDU (PS3.8 §9.3).
 */
final class DimseMessageReader {

    private static final int P_DATA_TF = 0x04;
    private static final int A_RELEASE_RQ = 0x05;
    private static final int A_ABORT = 0x07;
    private static final byte[] A_RELEASE_RP = {0x06, 0, 0, 0, 0, 4, 0, 0, 0, 0};

    private final Socket socket;
    /** The socket's stream, taken at the first read (getting it fails once the socket is closed). */
    private InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    /** The bytes read from the socket and not yet consumed: buffer[position, limit). */
    private int position;
    private int limit;
    private final byte[] header = new byte[6];
    private final ByteArrayOutputStream command = new ByteArrayOutputStream();
    /** Bytes of the current P-DATA-TF PDU not read yet. */
    private long pduLeft;
    /** Bytes of the current PDV's value not read yet. */
    private long pdvLeft;
    private boolean pdvIsCommand;
    private boolean pdvIsLast;
    private byte pdvContextId;
    /** The context of the last command: answers go back on it. */
    private byte contextId;
    private IOException sinkFailure;
    /** Whether the current message's data set has been read to its end (it must not be read twice). */
    private boolean dataRead;

    DimseMessageReader(Socket socket) {
        this.socket = socket;
    }

    /** Waits for the next message's command. */
    AttributeList readCommand() throws DicomNetworkException, AReleaseException, DicomException, IOException {
        command.reset();
        sinkFailure = null;
        dataRead = false;
        do {
            nextPdv();
            if (!pdvIsCommand) {
                throw new DicomNetworkException("a data PDV came where a DIMSE command was due");
            }
            contextId = pdvContextId;
            copyPdv(command);
        } while (!pdvIsLast);
        return CompositeResponseHandler.getAttributeListFromCommandOrData(command.toByteArray(),
                TransferSyntax.ImplicitVRLittleEndian);
    }

    /** The presentation context the last command came on: answers go back on it. */
    byte contextId() {
        return contextId;
    }

    /** The current message's data set, whole. */
    byte[] readData() throws DicomNetworkException, AReleaseException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        streamData(data);
        return data.toByteArray();
    }

    /**
     * Streams the current message's data set into {@code target}. If the target fails, the rest of the data set is
     * still read (and dropped) so the association stays in step; {@link #sinkFailure()} then says why. Once the data
     * set has been read, a further call does nothing.
     */
    void streamData(OutputStream target) throws DicomNetworkException, AReleaseException {
        if (dataRead) {
            return;
        }
        do {
            nextPdv();
            if (pdvIsCommand) {
                throw new DicomNetworkException("a command PDV came where a data set was due");
            }
            copyPdv(target);
        } while (!pdvIsLast);
        dataRead = true;
    }

    /** The target's failure during the last {@link #streamData}, or null. */
    IOException sinkFailure() {
        return sinkFailure;
    }

    /** Moves to the next PDV, reading the next PDU's header when the current one is used up. */
    private void nextPdv() throws DicomNetworkException, AReleaseException {
        try {
            if (in == null) {
                in = socket.getInputStream();
            }
            while (pduLeft == 0) {
                readPduHeader();
            }
            readHeader();
            long length = Pdus.uint32(header, 0);
            if (length < 2 || length + 4 > pduLeft) {
                throw new DicomNetworkException("PDV length " + length + " does not fit its PDU");
            }
            pduLeft -= 4 + length;
            pdvLeft = length - 2;
            pdvContextId = header[4];
            pdvIsCommand = (header[5] & 0x01) != 0;
            pdvIsLast = (header[5] & 0x02) != 0;
        } catch (IOException e) {
            throw networkFailure(e);
        }
    }

    private void readPduHeader() throws IOException, DicomNetworkException, AReleaseException {
        readHeader();
        int type = header[0] & 0xFF;
        long length = Pdus.uint32(header, 2);
        if (type == P_DATA_TF) {
            pduLeft = length;
            return;
        }
        skip(length);
        if (type == A_RELEASE_RQ) {
            socket.getOutputStream().write(A_RELEASE_RP);
            throw new AReleaseException("A-RELEASE-RQ from " + socket.getRemoteSocketAddress());
        }
        if (type == A_ABORT) {
            throw new DicomNetworkException("A-ABORT from " + socket.getRemoteSocketAddress());
        }
        throw new DicomNetworkException("unexpected PDU type 0x" + Integer.toHexString(type) + " during DIMSE");
    }

    /** Copies the rest of the current PDV's value into target; after a target failure, reads on and drops. */
    private void copyPdv(OutputStream target) throws DicomNetworkException {
        try {
            while (pdvLeft > 0) {
                int n = (int) Math.min(available(), pdvLeft);
                if (sinkFailure == null) {
                    try {
                        target.write(buffer, position, n);
                    } catch (IOException e) {
                        sinkFailure = e;
                    }
                }
                position += n;
                pdvLeft -= n;
            }
        } catch (IOException e) {
            throw networkFailure(e);
        }
    }

    /** The next 6 bytes (a PDU's or a PDV's header) into {@link #header}. */
    private void readHeader() throws IOException {
        for (int done = 0; done < header.length; ) {
            int n = Math.min(available(), header.length - done);
            System.arraycopy(buffer, position, header, done, n);
            position += n;
            done += n;
        }
    }

    private void skip(long length) throws IOException {
        for (long left = length; left > 0; ) {
            int n = (int) Math.min(available(), left);
            position += n;
            left -= n;
        }
    }

    /** How many bytes are buffered, reading from the socket first if none are (at least one then). */
    private int available() throws IOException {
        if (position == limit) {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                throw new EOFException("connection closed by " + socket.getRemoteSocketAddress());
            }
            position = 0;
            limit = n;
        }
        return limit - position;
    }

    /**
     * Whether bytes the peer sent have been read from the socket but not consumed yet: the next message (or part of
     * it) is already here. Between exchanges, such bytes are something the peer sent unasked.
     */
    boolean hasBufferedInput() {
        return position < limit;
    }

    /** Keeps "timed out" in the message: callers tell a timeout (504) from a failure (502) by it. */
    private static DicomNetworkException networkFailure(IOException e) {
        return new DicomNetworkException(e.toString());
    }
}
