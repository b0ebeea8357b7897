package org.dicomweb.gateway.backend.dimse.association;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.function.LongConsumer;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;

import org.dicomweb.gateway.core.dicom.LittleEndianElements;

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
 * <p>
 * Every length the peer sends is checked against what holds it and what was negotiated before it is acted on: a
 * P-DATA-TF no longer than the maximum PDU length this side announced, a PDV within its PDU, a command set no longer
 * than {@link #MAX_COMMAND_LENGTH} and whose elements and group length agree, a data set read whole no longer than
 * {@link #MAX_WHOLE_DATA_SET}. A breach fails with a {@link MalformedPduException} that says which; nothing is
 * allocated by a length from the wire.
 */
public final class DimseMessageReader {

    private static final int P_DATA_TF = 0x04;
    private static final int A_RELEASE_RQ = 0x05;
    private static final int A_ABORT = 0x07;
    private static final byte[] A_RELEASE_RP = {0x06, 0, 0, 0, 0, 4, 0, 0, 0, 0};
    /** A-RELEASE-RQ and A-ABORT have 4 bytes after their header (PS3.8 §9.3.6, §9.3.8). */
    private static final int RELEASE_OR_ABORT_LENGTH = 4;
    /** A DIMSE command set is a few hundred bytes of group 0000 (PS3.7 §E.1); this is generous. */
    static final int MAX_COMMAND_LENGTH = 64 * 1024;
    /** What {@link #readData} holds in memory: identifiers and failed-instance lists, never instances. */
    static final int MAX_WHOLE_DATA_SET = 16 << 20;

    private final Socket socket;
    /** The maximum PDU length this side announced in its association negotiation (PS3.8 D.1). */
    private final int maxPduLength;
    /** The socket's stream, taken at the first read (getting it fails once the socket is closed). */
    private InputStream in;
    /** Told the bytes of each read from the socket (the AE's byte counter); none: nobody. */
    private LongConsumer onRead = bytes -> { };
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

    public DimseMessageReader(Socket socket, int maxPduLength) {
        this.socket = socket;
        this.maxPduLength = maxPduLength;
    }

    /** Has {@code counter} told the bytes of each read from the socket. */
    public void onRead(LongConsumer counter) {
        onRead = counter;
    }

    /** Waits for the next message's command. */
    public AttributeList readCommand() throws DicomNetworkException, AReleaseException, DicomException, IOException {
        command.reset();
        sinkFailure = null;
        dataRead = false;
        do {
            nextPdv();
            if (!pdvIsCommand) {
                throw new MalformedPduException("a data PDV came where a DIMSE command was due");
            }
            if (command.size() + pdvLeft > MAX_COMMAND_LENGTH) {
                throw new MalformedPduException("command set of more than " + MAX_COMMAND_LENGTH
                        + " bytes (its last fragment never came)");
            }
            if (command.size() > 0 && pdvContextId != contextId) {
                throw new MalformedPduException("command fragment on presentation context " + (pdvContextId & 0xFF)
                        + " after one on " + (contextId & 0xFF));
            }
            contextId = pdvContextId;
            copyPdv(command);
        } while (!pdvIsLast);
        byte[] bytes = command.toByteArray();
        checkCommandSet(bytes);
        return CompositeResponseHandler.getAttributeListFromCommandOrData(bytes, TransferSyntax.ImplicitVRLittleEndian);
    }

    /**
     * A command set is Implicit VR Little Endian elements (PS3.7 §E.1, §6.3.1): each element's length must fit in what
     * is left, and the Command Group Length, when sent first, must count the group 0000 elements after it. Elements of
     * other groups are let pass: Orthanc (DCMTK) puts the Failed SOP Instance UID List (0008,0058) of a final C-GET-RSP
     * into the command, after group 0000 and outside its group length. Checked here because PixelMed's parser
     * allocates by the element lengths it reads.
     */
    static void checkCommandSet(byte[] bytes) throws MalformedPduException {
        long groupLength = -1;
        long group0000 = 0;
        for (int at = 0; at < bytes.length; ) {
            if (bytes.length - at < 8) {
                throw new MalformedPduException("command set ends inside an element header at byte " + at);
            }
            int group = LittleEndianElements.uint16(bytes, at);
            int element = LittleEndianElements.uint16(bytes, at + 2);
            long length = LittleEndianElements.uint32(bytes, at + 4);
            if (length > bytes.length - at - 8) {
                throw new MalformedPduException("command element " + tag(group, element) + " says " + length
                        + " bytes, only " + (bytes.length - at - 8) + " follow");
            }
            if (at == 0 && group == 0 && element == 0) {
                if (length != 4) {
                    throw new MalformedPduException("command group length of " + length + " bytes (4 are due)");
                }
                groupLength = LittleEndianElements.uint32(bytes, 8);
            } else if (group == 0) {
                group0000 += 8 + length;
            }
            at += 8 + (int) length;
        }
        if (groupLength >= 0 && groupLength != group0000) {
            throw new MalformedPduException("command group length says " + groupLength + ", the group 0000 elements"
                    + " after it take " + group0000 + " bytes");
        }
    }

    private static String tag(int group, int element) {
        return String.format("(%04X,%04X)", group, element);
    }

    /** The presentation context the last command came on: answers go back on it. */
    public byte contextId() {
        return contextId;
    }

    /** The current message's data set, whole. */
    public byte[] readData() throws DicomNetworkException, AReleaseException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        copyData(data, MAX_WHOLE_DATA_SET);
        return data.toByteArray();
    }

    /**
     * Streams the current message's data set into {@code target}. If the target fails, the rest of the data set is
     * still read (and dropped) so the association stays in step; {@link #sinkFailure()} then says why. Once the data
     * set has been read, a further call does nothing.
     */
    public void streamData(OutputStream target) throws DicomNetworkException, AReleaseException {
        copyData(target, Long.MAX_VALUE);
    }

    /** The data set into target; more than {@code maxLength} bytes of it is a protocol violation. */
    private void copyData(OutputStream target, long maxLength) throws DicomNetworkException, AReleaseException {
        if (dataRead) {
            return;
        }
        long length = 0;
        do {
            nextPdv();
            if (pdvIsCommand) {
                throw new MalformedPduException("a command PDV came where a data set was due");
            }
            if (pdvContextId != contextId) {
                throw new MalformedPduException("data set on presentation context " + (pdvContextId & 0xFF)
                        + " after a command on " + (contextId & 0xFF));
            }
            length += pdvLeft;
            if (length > maxLength) {
                throw new MalformedPduException("data set of more than " + maxLength + " bytes where an identifier"
                        + " or a status detail was due");
            }
            copyPdv(target);
        } while (!pdvIsLast);
        dataRead = true;
    }

    /** The target's failure during the last {@link #streamData}, or null. */
    public IOException sinkFailure() {
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
                throw new MalformedPduException("PDV length " + length + " does not fit the " + pduLeft
                        + " bytes left of its P-DATA-TF");
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
            if (length < 6 || length > maxPduLength) {
                throw new MalformedPduException("P-DATA-TF of " + length + " bytes, outside 6 (one PDV header) to "
                        + maxPduLength + " (the maximum PDU length negotiated)");
            }
            pduLeft = length;
            return;
        }
        if (type != A_RELEASE_RQ && type != A_ABORT) {
            throw new MalformedPduException("unexpected PDU type 0x" + Integer.toHexString(type) + " during DIMSE");
        }
        if (length != RELEASE_OR_ABORT_LENGTH) {
            throw new MalformedPduException((type == A_ABORT ? "A-ABORT" : "A-RELEASE-RQ") + " of " + length
                    + " bytes (" + RELEASE_OR_ABORT_LENGTH + " are due)");
        }
        skip(length);
        if (type == A_RELEASE_RQ) {
            socket.getOutputStream().write(A_RELEASE_RP);
            throw new AReleaseException("A-RELEASE-RQ from " + socket.getRemoteSocketAddress());
        }
        throw new DicomNetworkException("A-ABORT from " + socket.getRemoteSocketAddress());
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
            if (n > 0) {
                onRead.accept(n);
            }
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
    public boolean hasBufferedInput() {
        return position < limit;
    }

    /** Keeps "timed out" in the message: callers tell a timeout (504) from a failure (502) by it. */
    private static DicomNetworkException networkFailure(IOException e) {
        return new DicomNetworkException(e.toString());
    }
}
