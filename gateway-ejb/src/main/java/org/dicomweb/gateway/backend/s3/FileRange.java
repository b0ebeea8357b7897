package org.dicomweb.gateway.backend.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** A region of a file as a stream, for one part of a multipart upload (the SDK may open it again to retry). */
final class FileRange {

    private FileRange() {
    }

    static InputStream open(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file).position(offset);
            InputStream whole = Channels.newInputStream(channel);
            return new InputStream() {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = whole.read();
                    left -= b < 0 ? 0 : 1;
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = whole.read(buffer, off, (int) Math.min(len, left));
                    left -= Math.max(n, 0);
                    return n;
                }

                @Override
                public void close() throws IOException {
                    whole.close();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
