package org.dicomweb.gateway.web.studies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.wado.MultipartRelated;
import org.dicomweb.gateway.wado.RetrievedInstances.StoredPart;

import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.util.ImmediateInstanceFactory;

/**
 * The sink in a real Undertow (WildFly's web server) over real HTTP/1.1: a body of files declared by its
 * Content-Length arrives whole and exactly that long, the framing written before each file sent first (Undertow's
 * transferFrom, sendfile here); a file that grew after its part was listed never gives a complete-looking body.
 */
class FileSendingSinkUndertowTest {

    private static final String TYPE = "application/dicom; transfer-syntax=1.2.840.10008.1.2.1";

    @TempDir
    Path dir;

    private final List<Path> files = new ArrayList<>();
    private Consumer<Path> beforeSending = file -> { };
    private Undertow server;
    private DeploymentManager deployment;
    private URI uri;
    private String boundary;

    @BeforeEach
    void start() throws Exception {
        HttpServlet servlet = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                send(response);
            }
        };
        deployment = Servlets.defaultContainer().addDeployment(Servlets.deployment()
                .setClassLoader(getClass().getClassLoader()).setContextPath("/").setDeploymentName("files")
                .addServlet(Servlets.servlet("files", HttpServlet.class, new ImmediateInstanceFactory<>(servlet))
                        .addMapping("/*")));
        deployment.deploy();
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(deployment.start()).build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        uri = URI.create("http://127.0.0.1:" + port + "/study");
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        deployment.stop();
        deployment.undeploy();
    }

    /** As WadoRetrieve has it written: the length declared as a header (JAX-RS), the 256 KiB response buffer. */
    private void send(HttpServletResponse response) throws IOException {
        List<StoredPart> parts = new ArrayList<>();
        for (Path file : files) {
            parts.add(new StoredPart(TYPE, Files.size(file)));
        }
        response.setBufferSize(WadoRetrieve.RESPONSE_BUFFER_BYTES);
        response.setHeader("Content-Type", "multipart/related; boundary=" + boundary);
        response.addHeader("Content-Length", Long.toString(MultipartRelated.length(boundary, parts)));
        FileSendingSink sink = FileSendingSink.target().into(response.getOutputStream(), boundary);
        for (int i = 0; i < files.size(); i++) {
            beforeSending.accept(files.get(i));
            try (FileChannel file = FileChannel.open(files.get(i))) {
                sink.filePart(TYPE, file, parts.get(i).length());
            }
        }
        sink.finish(null);
    }

    @Test
    void aBodyOfFilesArrivesWholeAndAsLongAsDeclared() throws Exception {
        boundary = MultipartRelated.newBoundary();
        for (int i = 0; i < 20; i++) {
            files.add(file(i, 10_000 + i * 40_000)); // past the response buffer, and under it
        }
        HttpResponse<byte[]> response = client().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(response.body().length), response.headers().firstValue("Content-Length").orElse(""));
        assertArrayEquals(expectedBody(), response.body());
    }

    @Test
    void aFileThatGrewAfterItsPartWasListedCutsTheBody() throws Exception {
        boundary = MultipartRelated.newBoundary();
        files.add(file(0, 50_000));
        files.add(file(1, 50_000));
        beforeSending = file -> {
            if (file.equals(files.get(1))) {
                try {
                    Files.write(file, new byte[100], StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        // Listed before the file grew: the Content-Length is the listed lengths', which the body cannot reach.
        assertThrows(IOException.class, () -> client().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofByteArray()));
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private Path file(int index, int size) throws IOException {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + index);
        }
        return Files.write(dir.resolve(index + ".dcm"), bytes);
    }

    /** The same framing written around copies of the files: what the client must receive. */
    private byte[] expectedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        MultipartRelated framing = new MultipartRelated(body, boundary);
        for (Path file : files) {
            framing.nextPart(TYPE).write(Files.readAllBytes(file));
        }
        framing.finish(null);
        return body.toByteArray();
    }
}
