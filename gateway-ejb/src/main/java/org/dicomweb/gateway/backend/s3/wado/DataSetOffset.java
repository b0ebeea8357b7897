package org.dicomweb.gateway.backend.s3.wado;

import java.io.IOException;
import java.io.InputStream;

import org.dicomweb.gateway.core.dicom.LittleEndianElements;

/** Where a Part 10 object's data set starts: after the preamble, "DICM" and the group (0002,0000) announces. */
final class DataSetOffset {

    private static final int GROUP_LENGTH_ELEMENT = 12;

    private DataSetOffset() {
    }

    /** Reads the first 144 bytes of {@code in} (which must support mark/reset) and resets it. */
    static long of(InputStream in, String key) throws IOException {
        in.mark(256);
        byte[] head = in.readNBytes(132 + GROUP_LENGTH_ELEMENT);
        in.reset();
        if (head.length < 132 + GROUP_LENGTH_ELEMENT || head[128] != 'D' || head[129] != 'I' || head[130] != 'C' || head[131] != 'M'
                || LittleEndianElements.uint16(head, 132) != 0x0002 || LittleEndianElements.uint16(head, 134) != 0) {
            throw new IOException(key + " is not a Part 10 file with a File Meta Information Group Length");
        }
        return 132 + GROUP_LENGTH_ELEMENT + LittleEndianElements.uint32(head, 140);
    }
}
