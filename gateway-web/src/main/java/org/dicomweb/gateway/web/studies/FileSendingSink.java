package org.dicomweb.gateway.web.studies;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;

import jakarta.servlet.ServletResponse;

import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.MultipartRelated;

import io.undertow.io.BufferWritableOutputStream;
import io.undertow.servlet.handlers.ServletRequestContext;

/**
 * The multipart body of a WADO-RS retrieval whose parts are files on disk (served from the study cache): the framing
 * is {@link MultipartRelated}'s, written to the body stream JAX-RS hands over; each file goes to Undertow's response
 * channel without passing through the JVM's heap. On plain HTTP/1.1 with a declared length that is the kernel's
 * {@code sendfile} (Undertow's {@code transferFrom}, {@code FileChannel.transferTo} into the socket); over TLS and
 * HTTP/2 Undertow copies the file through its own buffers (its TLS and HTTP/2 channels cannot take a file region),
 * still without a Java copy of ours. Outside Undertow (a test) the file is copied into the stream.
 */
final class FileSendingSink implements InstanceSink {

    private final MultipartRelated framing;
    private final OutputStream out;
    private final BufferWritableOutputStream server;

    private FileSendingSink(MultipartRelated framing, OutputStream out, BufferWritableOutputStream server) {
        this.framing = framing;
        this.out = out;
        this.server = server;
    }

    /** Where a body of files goes: taken on the request's own thread, since the body may be written on another. */
    static Target target() {
        ServletRequestContext context = ServletRequestContext.current();
        return new Target(context == null ? null : context.getServletResponse());
    }

    /** The response of one request, for {@link #into}. */
    static final class Target {

        private final ServletResponse response;

        private Target(ServletResponse response) {
            this.response = response;
        }

        /** A sink framing parts with {@code boundary} onto {@code out}, the body stream of this target's response. */
        FileSendingSink into(OutputStream out, String boundary) throws IOException {
            BufferWritableOutputStream server = response != null
                    && response.getOutputStream() instanceof BufferWritableOutputStream undertow ? undertow : null;
            return new FileSendingSink(new MultipartRelated(out, boundary), out, server);
        }
    }

    @Override
    public OutputStream nextPart(String contentType) throws IOException {
        return framing.nextPart(contentType);
    }

    /**
     * A file whose size is not the length its part was listed with (it changed since) fails the body, which then is
     * cut (ConnectionAbort): the response declared a Content-Length from those lengths and must not end otherwise.
     */
    @Override
    public void filePart(String contentType, FileChannel file, long length) throws IOException {
        long size = file.size();
        if (size != length) {
            throw new IOException("a cached file is " + size + " bytes long, not the " + length
                    + " its part was listed with: the response is cut");
        }
        if (server == null) {
            framing.filePart(contentType, file, length);
            return;
        }
        framing.nextPart(contentType);
        out.flush(); // the framing so far out of any buffer above Undertow's, before the file that follows it
        file.position(0);
        server.transferFrom(file); // from the position to the file's end: the whole file, checked above
    }

    @Override
    public void finish(String epilogue) throws IOException {
        framing.finish(epilogue);
    }
}
