package org.dicomweb.gateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 client on a bare socket, for clients that misbehave as no HTTP library lets one: that stop reading
 * without closing, or close in the middle of a response. Its receive buffer is small, so the server feels at once a
 * client that stops reading.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** Sends {@code method} of a gateway path (below /dicomweb) and returns the socket, its response unread. */
    static Socket send(String method, String path, String accept) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(32 * 1024);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress("127.0.0.1", 8080), 5_000);
        String request = method + " /dicomweb" + path + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: " + accept
                + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** The status line and headers, up to the blank line. */
    static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed within the response head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /**
     * The body of a chunked response, decoded as it comes. The connection closing before the last (empty) chunk is an
     * IOException: that is how a server tells the client that a response it had begun failed.
     */
    static InputStream chunked(InputStream in) {
        return new InputStream() {
            private long left;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (ended) {
                    return -1;
                }
                if (left == 0) {
                    String size = line(in);
                    left = Long.parseLong(size.split(";", 2)[0].trim(), 16);
                    if (left == 0) {
                        line(in); // the blank line after the last chunk (no trailers here)
                        ended = true;
                        return -1;
                    }
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    throw new IOException("connection closed inside a chunk, " + left + " bytes short");
                }
                left -= n;
                if (left == 0) {
                    line(in); // the CRLF that ends the chunk
                }
                return n;
            }
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed before the last chunk");
            }
            line.append((char) b);
        }
        return line.toString().strip();
    }
}
