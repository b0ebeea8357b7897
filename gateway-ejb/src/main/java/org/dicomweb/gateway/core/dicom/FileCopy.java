package org.dicomweb.gateway.core.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/** Sends a region of a cached file to a client (by transferTo: the kernel copies, where it can). */
public final class FileCopy {

    private FileCopy() {
    }

    public static void transfer(FileChannel file, long offset, long count, OutputStream out) throws IOException {
        WritableByteChannel target = Channels.newChannel(out);
        for (long sent = 0; sent < count; ) {
            long n = file.transferTo(offset + sent, count - sent, target);
            if (n <= 0) {
                throw new EOFException("cached file ends inside its pixel data");
            }
            sent += n;
        }
    }
}
