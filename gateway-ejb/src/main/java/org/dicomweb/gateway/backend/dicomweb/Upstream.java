package org.dicomweb.gateway.backend.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import org.dicomweb.gateway.core.backend.AeClients;
import org.dicomweb.gateway.core.backend.OperationSlots;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerRejectedException;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * One upstream DICOMweb server: its own pooled Apache HttpClient 5 (classic, blocking: the calling thread reads the
 * socket, no threads of its own; docs/benchmarks.md, "HTTP client for the DICOMweb proxy"), at most
 * max-concurrent-requests exchanges in flight, and a deadline on every wait: connect, every read of the answer
 * (socket timeout = read-timeout-ms, so a body that stalls midway fails too), the wait for a pooled connection.
 * Failures come out as the gateway's outcomes, naming the AE.
 */
final class Upstream implements AeClients.Client<UpstreamSettings> {

    /** Of an upstream's error body, this much is quoted in the reason. */
    private static final int REASON_BYTES = 300;
    private static final Pattern WARNING = Pattern.compile("\\d{3} \\S+ \"(.*)\".*");
    /**
     * One immediate retry of an idempotent request (GET) whose pooled connection the upstream had closed meanwhile;
     * none after a timeout, a refused connection or a TLS failure, none for a status (a 503 is passed on), none for
     * STOW-RS (a POST, its body not repeatable).
     */
    private static final DefaultHttpRequestRetryStrategy STALE_CONNECTION_RETRY = new DefaultHttpRequestRetryStrategy(
            1, TimeValue.ZERO_MILLISECONDS, List.of(InterruptedIOException.class, UnknownHostException.class,
                    ConnectException.class, ConnectionClosedException.class, NoRouteToHostException.class,
                    SSLException.class), List.of()) {
    };

    private final UpstreamSettings settings;
    private final CloseableHttpClient client;
    private final OperationSlots slots;

    Upstream(UpstreamSettings settings) {
        this.settings = settings;
        int connections = settings.maxConcurrentRequests();
        Timeout read = Timeout.ofMilliseconds(settings.readTimeoutMs());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(connections).setMaxConnPerRoute(connections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofMilliseconds(settings.connectTimeoutMs()))
                                .setSocketTimeout(read)
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(read).setResponseTimeout(read).build())
                // No redirects: the AE's credentials would go on to wherever the upstream points.
                .disableRedirectHandling()
                // The upstream's bytes are passed on as they come: no Accept-Encoding, nothing inflated.
                .disableContentCompression()
                .disableCookieManagement()
                .setRetryStrategy(STALE_CONNECTION_RETRY)
                .build();
        // Waiting longer than an upstream answer may take would only pile up requests: 503 (try again later).
        this.slots = new OperationSlots(settings.aet(), "upstream requests", settings.maxConcurrentRequests(),
                settings.readTimeoutMs(), (reason, cause) -> new GatewayBusyException(reason));
    }

    @Override
    public UpstreamSettings settings() {
        return settings;
    }

    @Override
    public OperationSlots slots() {
        return slots;
    }

    String aet() {
        return settings.aet();
    }

    /** {@code path} (from the DICOMweb root, starting with '/', query included) as a URI of the upstream. */
    URI uri(String path) {
        return URI.create(settings.root() + path);
    }

    /** {@code request} with the AE's credentials and, if not null, an Accept header. */
    <R extends HttpUriRequestBase> R authorized(R request, String accept) {
        if (accept != null) {
            request.setHeader("Accept", accept);
        }
        settings.authorization().ifPresent(value -> request.setHeader("Authorization", value));
        return request;
    }

    /** GET {@code path}: a 2xx answer, or the upstream's failure as an outcome ({@code what}: "study 1.2.3", ...). */
    Answer get(String path, String accept, String what) {
        return send(authorized(new HttpGet(uri(path)), accept)).requireSuccess(what);
    }

    /** Reads the start of a 2xx answer into what will be written from it (and then owns the answer). */
    interface AnswerReader<T> {
        T read(Answer answer) throws IOException;
    }

    /**
     * GET {@code path} and {@code reader}'s result from its answer; if reading fails, the answer is closed and the
     * failure is the client's outcome (a body cut or timed out: 502/504).
     */
    <T> T open(String path, String accept, String what, AnswerReader<T> reader) {
        Answer answer = get(path, accept, what);
        try {
            return reader.read(answer);
        } catch (IOException e) {
            answer.close();
            throw failure(uri(path), e);
        } catch (RuntimeException e) {
            answer.close();
            throw e;
        }
    }

    /** Sends the request within a slot: whatever its status, the answer holds the slot until it is closed. */
    Answer send(HttpUriRequestBase request) {
        OperationSlots.Slot slot = slots.acquire();
        try {
            return exchange(request, slot);
        } catch (IOException e) {
            slot.close();
            throw failure(uri(request), e);
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
    }

    private Answer exchange(HttpUriRequestBase request, OperationSlots.Slot slot) throws IOException {
        return new Answer(CloseableHttpResponse.adapt(client.executeOpen(null, request, null)), slot);
    }

    /**
     * Starts a request whose body is produced while it is sent (STOW-RS), within a slot, on {@code executor}: the
     * exchange's thread writes the headers, then waits in the body's {@code writeTo} while the caller writes the body
     * into the connection; the caller then waits for the answer with {@link Pending#await}, bounded, or cancels it.
     */
    Pending start(HttpUriRequestBase request, Executor executor) {
        OperationSlots.Slot slot = slots.acquire();
        Pending pending = new Pending(request);
        try {
            executor.execute(() -> {
                try {
                    Answer answer = exchange(request, slot);
                    if (!pending.sent.complete(answer)) {
                        answer.close(); // cancelled meanwhile
                    }
                } catch (IOException | RuntimeException e) {
                    slot.close();
                    pending.sent.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            slot.close();
            throw new GatewayBusyException("no free thread for an upload to " + aet() + "; try again later");
        }
        return pending;
    }

    /** A request under way: its answer, or its cancellation, frees its slot. */
    final class Pending {
        private final HttpUriRequestBase request;
        private final CompletableFuture<Answer> sent = new CompletableFuture<>();
        private boolean taken;
        private boolean discarded;

        private Pending(HttpUriRequestBase request) {
            this.request = request;
        }

        /** Runs {@code action} once the exchange has ended, answered or not. */
        void whenDone(Runnable action) {
            sent.whenComplete((answer, failure) -> action.run());
        }

        /** The answer, waited for at most {@code timeoutMs}; a timeout cancels the exchange. */
        Answer await(long timeoutMs) {
            Answer answer;
            try {
                answer = sent.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                cancel();
                throw new PeerTimeoutException(aet() + ": " + where(request) + " did not answer within " + timeoutMs
                        + " ms of the end of the upload (read-timeout-ms)", e);
            } catch (CancellationException e) {
                throw new PeerFailureException(aet() + ": the exchange with " + where(request) + " was cancelled", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? failure(uri(request), io)
                        : new PeerFailureException(aet() + ": the exchange with " + where(request) + " failed: "
                                + e.getCause(), e);
            } catch (InterruptedException e) {
                cancel();
                Thread.currentThread().interrupt();
                throw new PeerTimeoutException(aet() + ": interrupted while waiting for " + where(request), e);
            }
            synchronized (this) {
                if (discarded) {
                    throw new PeerFailureException(aet() + ": the exchange with " + where(request) + " was cancelled",
                            null);
                }
                taken = true;
            }
            return answer;
        }

        /** Aborts the exchange (its connection is closed); an answer that came already and was not taken is closed. */
        void cancel() {
            request.cancel();
            if (sent.cancel(false) || sent.isCompletedExceptionally()) {
                return;
            }
            synchronized (this) {
                if (taken || discarded) {
                    return;
                }
                discarded = true;
            }
            sent.join().close();
        }
    }

    /** A failed exchange (no answer, or a body cut) as the outcome the client gets: 504 for a timeout, else 502. */
    GatewayException failure(URI uri, IOException e) {
        if (e instanceof ConnectTimeoutException) {
            return new PeerTimeoutException(aet() + ": no connection to " + uri.getHost() + ":" + port(uri)
                    + " within " + settings.connectTimeoutMs() + " ms (connect-timeout-ms)", e);
        }
        if (e instanceof SocketTimeoutException) {
            return new PeerTimeoutException(aet() + ": " + withoutQuery(uri) + " did not answer within "
                    + settings.readTimeoutMs() + " ms (read-timeout-ms)", e);
        }
        if (e instanceof ConnectException) {
            // Apache's message names the URI and the addresses tried; the cause's is the socket's own.
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : "connection refused";
            return new PeerFailureException(aet() + ": cannot connect to " + uri.getHost() + ":" + port(uri)
                    + " (" + why.toLowerCase() + ")", e);
        }
        return new PeerFailureException(aet() + ": the exchange with " + withoutQuery(uri) + " failed: " + e, e);
    }

    /** The request's URI for a message: without its query, which may be a search's values (a patient's name). */
    private static String where(HttpUriRequestBase request) {
        return withoutQuery(uri(request));
    }

    /**
     * {@code uri} without its query string (and fragment): failures are logged and answered, and server.log must not
     * receive the patient names and IDs of a proxied search (docs/security.md, "Audit trail").
     */
    static String withoutQuery(URI uri) {
        String text = uri.toString();
        int query = text.indexOf('?');
        int fragment = text.indexOf('#');
        int end = query >= 0 ? query : fragment >= 0 ? fragment : text.length();
        return text.substring(0, end);
    }

    private static URI uri(HttpUriRequestBase request) {
        try {
            return request.getUri();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e); // made from a URI
        }
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
    }

    /** Closes the pool and its connections (undeployment; a reload, once its requests ended). */
    @Override
    public void close() {
        client.close(CloseMode.IMMEDIATE);
    }

    /** An upstream's answer: its body (every read bounded by the socket timeout) and the request slot. */
    final class Answer implements AutoCloseable {
        private final CloseableHttpResponse response;
        private final OperationSlots.Slot slot;
        private final AtomicBoolean closed = new AtomicBoolean();
        private InputStream body;

        private Answer(CloseableHttpResponse response, OperationSlots.Slot slot) {
            this.response = response;
            this.slot = slot;
        }

        int status() {
            return response.getCode();
        }

        String contentType() {
            Header type = response.getFirstHeader("Content-Type");
            return type == null ? "" : type.getValue();
        }

        /** The texts of the answer's Warning headers (the quoted text of {@code 299 host "text"}). */
        List<String> warnings() {
            return Arrays.stream(response.getHeaders("Warning")).map(header -> {
                Matcher m = WARNING.matcher(header.getValue());
                return m.matches() ? m.group(1) : header.getValue();
            }).toList();
        }

        /**
         * The body as it arrives. Read to its end, it gives the connection back to the pool; closing the stream
         * itself would read the rest first, so it is closed only with the answer.
         */
        InputStream body() throws IOException {
            if (body == null) {
                HttpEntity entity = response.getEntity();
                body = entity == null ? InputStream.nullInputStream() : entity.getContent();
            }
            return body;
        }

        /** This answer if 2xx; otherwise it is closed and its status mapped to the gateway's outcome. */
        Answer requireSuccess(String what) {
            if (status() / 100 == 2) {
                return this;
            }
            throw failed(what);
        }

        /** The outcome for a non-2xx status: 404 not found, other 4xx passed on, anything else a failure (502). */
        GatewayException failed(String what) {
            String reason = reason();
            int status = status();
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
                byte[] start = body().readNBytes(REASON_BYTES);
                String text = new String(start, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
                return text.isEmpty() ? "" : ": " + text;
            } catch (IOException e) {
                return "";
            }
        }

        /**
         * Frees the slot and the connection: a body read to its end has given the connection back to the pool
         * already; one not read to its end is cut (the connection closed, never reused half-read).
         */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                try {
                    response.close(CloseMode.IMMEDIATE);
                } finally {
                    slot.close();
                }
            }
        }
    }
}
