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
}
