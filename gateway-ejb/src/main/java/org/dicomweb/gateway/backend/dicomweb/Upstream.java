package org.dicomweb.gateway.backend.dicomweb;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dicomweb.gateway.core.backend.OperationSlots;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerRejectedException;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * One upstream DICOMweb server: its own JDK HTTP/1.1 client (on a bounded executor of its own), at most
 * max-concurrent-requests exchanges in flight, and a deadline on every wait: connect, response headers, each read of
 * the body ({@link TimedBody}). Failures come out as the gateway's outcomes, naming the AE.
 */
final class Upstream implements AutoCloseable {

    /** Of an upstream's error body, this much is quoted in the reason. */
    private static final int REASON_BYTES = 300;
    private static final Pattern WARNING = Pattern.compile("\\d{3} \\S+ \"(.*)\".*");

    private final UpstreamSettings settings;
    private final ThreadPoolExecutor executor;
    private final HttpClient client;
    private final OperationSlots slots;

    Upstream(UpstreamSettings settings) {
        this.settings = settings;
        AtomicInteger count = new AtomicInteger();
        int threads = settings.maxConcurrentRequests();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "dicomweb-upstream-" + settings.aet() + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(settings.connectTimeoutMs()))
                // No redirects: the JDK client would send the AE's credentials on to wherever it is redirected.
                .followRedirects(HttpClient.Redirect.NEVER).executor(executor).build();
        // Waiting longer than an upstream answer may take would only pile up requests: 503 (try again later).
        this.slots = new OperationSlots(settings.aet(), "upstream requests", settings.maxConcurrentRequests(),
                settings.readTimeoutMs(), (reason, cause) -> new GatewayBusyException(reason));
    }

    UpstreamSettings settings() {
        return settings;
    }

    String aet() {
        return settings.aet();
    }

    /** {@code path} (from the DICOMweb root, starting with '/', query included) as a URI of the upstream. */
    URI uri(String path) {
        return URI.create(settings.root() + path);
    }

    /** A request to the upstream with its credentials and the response-headers deadline. */
    HttpRequest.Builder request(String path, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofMillis(settings.readTimeoutMs()));
        if (accept != null) {
            request.header("Accept", accept);
        }
        settings.authorization().ifPresent(value -> request.header("Authorization", value));
        return request;
    }

    /** GET {@code path}: a 2xx answer, or the upstream's failure as an outcome ({@code what}: "study 1.2.3", ...). */
    Answer get(String path, String accept, String what) {
        return send(request(path, accept).GET().build()).requireSuccess(what);
    }

    /** Sends the request within a slot: whatever its status, the answer holds the slot until it is closed. */
    Answer send(HttpRequest request) {
        OperationSlots.Slot slot = slots.acquire();
        try {
            HttpResponse<Flow.Publisher<List<java.nio.ByteBuffer>>> response = client.send(request,
                    HttpResponse.BodyHandlers.ofPublisher());
            TimedBody body = new TimedBody(settings.aet() + " (" + request.uri() + ")", settings.readTimeoutMs());
            response.body().subscribe(body);
            return new Answer(response.statusCode(), response.headers(), body, slot);
        } catch (IOException e) {
            slot.close();
            throw failure(request.uri(), e);
        } catch (InterruptedException e) {
            slot.close();
            Thread.currentThread().interrupt();
            throw new PeerTimeoutException(settings.aet() + ": interrupted while waiting for " + request.uri(), e);
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    /**
     * Starts a request whose body is still being produced (STOW-RS), within a slot: the caller waits for its answer
     * with {@link Pending#await}, bounded, or cancels it. Without a request timeout, since the JDK's counts the upload
     * too: the caller's deadline starts once the body is complete.
     */
    Pending start(HttpRequest request) {
        OperationSlots.Slot slot = slots.acquire();
        try {
            return new Pending(request.uri(), client.sendAsync(request, HttpResponse.BodyHandlers.ofPublisher()), slot);
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    /** A request under way: its answer, or its cancellation, frees its slot. */
    final class Pending {
        private final URI uri;
        private final CompletableFuture<HttpResponse<Flow.Publisher<List<java.nio.ByteBuffer>>>> sent;
        private final OperationSlots.Slot slot;
        private boolean taken;
        private boolean discarded;

        private Pending(URI uri, CompletableFuture<HttpResponse<Flow.Publisher<List<java.nio.ByteBuffer>>>> sent,
                OperationSlots.Slot slot) {
            this.uri = uri;
            this.sent = sent;
            this.slot = slot;
            // A failed or cancelled exchange has no answer to close: its slot is freed here.
            sent.whenComplete((response, failure) -> {
                if (failure != null) {
                    slot.close();
                }
            });
        }

        /** Runs {@code action} once the exchange has ended, answered or not. */
        void whenDone(Runnable action) {
            sent.whenComplete((response, failure) -> action.run());
        }

        /** The answer, waited for at most {@code timeoutMs}; a timeout cancels the exchange. */
        Answer await(long timeoutMs) {
            HttpResponse<Flow.Publisher<List<java.nio.ByteBuffer>>> response;
            try {
                response = sent.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                cancel();
                throw new PeerTimeoutException(aet() + ": " + uri + " did not answer within " + timeoutMs
                        + " ms of the end of the upload (read-timeout-ms)", e);
            } catch (CancellationException e) {
                throw new PeerFailureException(aet() + ": the exchange with " + uri + " was cancelled", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? failure(uri, io)
                        : new PeerFailureException(aet() + ": the exchange with " + uri + " failed: " + e.getCause(), e);
            } catch (InterruptedException e) {
                cancel();
                Thread.currentThread().interrupt();
                throw new PeerTimeoutException(aet() + ": interrupted while waiting for " + uri, e);
            }
            synchronized (this) {
                if (discarded) {
                    throw new PeerFailureException(aet() + ": the exchange with " + uri + " was cancelled", null);
                }
                taken = true;
            }
            TimedBody body = new TimedBody(settings.aet() + " (" + uri + ")", settings.readTimeoutMs());
            response.body().subscribe(body);
            return new Answer(response.statusCode(), response.headers(), body, slot);
        }

        /**
         * Aborts the exchange (the JDK client closes its connection); an answer that came already and was not taken
         * is discarded, its slot freed.
         */
        void cancel() {
            sent.cancel(true);
            if (sent.isDone() && !sent.isCompletedExceptionally()) {
                synchronized (this) {
                    if (taken || discarded) {
                        return;
                    }
                    discarded = true;
                }
                TimedBody unread = new TimedBody(uri.toString(), settings.readTimeoutMs());
                sent.join().body().subscribe(unread);
                unread.close();
                slot.close();
            }
        }
    }

    /** A failed exchange (no answer, or a body cut) as the outcome the client gets: 504 for a timeout, else 502. */
    GatewayException failure(URI uri, IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return new PeerTimeoutException(aet() + ": no connection to " + uri.getHost() + ":" + port(uri)
                    + " within " + settings.connectTimeoutMs() + " ms (connect-timeout-ms)", e);
        }
        if (e instanceof HttpTimeoutException || e instanceof java.net.SocketTimeoutException) {
            return new PeerTimeoutException(aet() + ": " + uri + " did not answer within "
                    + settings.readTimeoutMs() + " ms (read-timeout-ms)", e);
        }
        if (e instanceof ConnectException) {
            return new PeerFailureException(aet() + ": cannot connect to " + uri.getHost() + ":" + port(uri)
                    + " (" + (e.getMessage() == null ? "connection refused" : e.getMessage()) + ")", e);
        }
        return new PeerFailureException(aet() + ": the exchange with " + uri + " failed: " + e, e);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
    }

    /** The texts of the answer's Warning headers (the quoted text of {@code 299 host "text"}). */
    static List<String> warnings(HttpHeaders headers) {
        return headers.allValues("Warning").stream().map(value -> {
            Matcher m = WARNING.matcher(value);
            return m.matches() ? m.group(1) : value;
        }).toList();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** An upstream's answer: its body (timed reads) and the request slot, both freed by {@link #close}. */
    final class Answer implements AutoCloseable {
        private final int status;
        private final HttpHeaders headers;
        private final TimedBody body;
        private final OperationSlots.Slot slot;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Answer(int status, HttpHeaders headers, TimedBody body, OperationSlots.Slot slot) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.slot = slot;
        }

        int status() {
            return status;
        }

        HttpHeaders headers() {
            return headers;
        }

        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        TimedBody body() {
            return body;
        }

        /** This answer if 2xx; otherwise it is closed and its status mapped to the gateway's outcome. */
        Answer requireSuccess(String what) {
            if (status / 100 == 2) {
                return this;
            }
            throw failed(what);
        }

        /** The outcome for a non-2xx status: 404 not found, other 4xx passed on, anything else a failure (502). */
        GatewayException failed(String what) {
            String reason = reason();
            close();
            if (status == 404) {
                return new NotFoundInPacsException(aet() + " has no " + what);
            }
            if (status / 100 == 4) {
                return new PeerRejectedException(status, aet() + ": the upstream refused " + what + " with " + status
                        + reason);
            }
            return new PeerFailureException(aet() + ": the upstream answered " + status + " for " + what + reason,
                    null);
        }

        /** ": " and the start of the error body, on one line; empty if it has none or cannot be read. */
        private String reason() {
            try {
                byte[] start = body.readNBytes(REASON_BYTES);
                String text = new String(start, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
                return text.isEmpty() ? "" : ": " + text;
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                body.close();
                slot.close();
            }
        }
    }
}
