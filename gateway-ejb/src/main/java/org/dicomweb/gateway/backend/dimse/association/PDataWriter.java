package org.dicomweb.gateway.backend.dimse.association;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Sends DIMSE messages in P-DATA-TF PDUs (PS3.8 §9.3.5), one PDV per PDU, each no larger than the peer's maximum
 * (PS3.8 D.1): the command in PDVs of its own, then the data set in others (PS3.8 E.2: a PDV carries either). One
 * buffer, reused for every PDU of the association; a data set is streamed through it, never held whole.
 */
final class PDataWriter {

    private static final int HEADER = 12; // PDU type, reserved, PDU length (4), PDV length (4), context ID, flags
    private static final int COMMAND = 0x01;
    private static final int LAST = 0x02;

    private final OutputStream out;
    private final byte[] pdu;

    /** {@code maxPduLength}: the peer's limit, already bounded by ours (0, "no limit", is not passed here). */
    PDataWriter(OutputStream out, int maxPduLength) {
        this.out = out;
        // The limit counts the PDU's variable part: PDV item headers (4 + 2 bytes) and values (PS3.8 §9.3.5).
        this.pdu = new byte[6 + Math.max(maxPduLength, HEADER)];
    }

    void sendCommand(byte contextId, byte[] command) throws IOException {
        try (OutputStream pdvs = stream(contextId, COMMAND)) {
            pdvs.write(command);
        }
    }

    /** A stream for one data set: full fragments go out as they fill, the last one on close. */
    OutputStream dataStream(byte contextId) {
        return stream(contextId, 0);
    }

    private OutputStream stream(byte contextId, int kind) {
        return new OutputStream() {
            private int filled = HEADER;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                if (filled == pdu.length) {
                    send(filled, kind);
                    filled = HEADER;
                }
                pdu[filled++] = (byte) b;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    if (filled == pdu.length) {
                        send(filled, kind); // not the last: more follows
                        filled = HEADER;
                    }
                    int n = Math.min(len, pdu.length - filled);
                    System.arraycopy(b, off, pdu, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                }
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    send(filled, kind | LAST);
                }
            }

            private void send(int length, int flags) throws IOException {
                pdu[0] = 0x04;
                pdu[1] = 0;
                Pdus.putUint32(pdu, 2, length - 6);
                Pdus.putUint32(pdu, 6, length - 10);
                pdu[10] = contextId;
                pdu[11] = (byte) flags;
                out.write(pdu, 0, length);
            }
        };
    }
}
