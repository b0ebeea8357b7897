// HTTP client benchmark for the DICOMweb proxy backend (not a test): curl, the JDK's java.net.http.HttpClient and
// Apache HttpClient 5 classic, side by side against one DICOMweb server. Run by bench/http-clients.sh (which loads the
// data and resolves the httpclient5 jars); results and the reading: docs/benchmarks.md ("HTTP client for the DICOMweb
// proxy").
//
//   java -cp <httpclient5 jars> bench/HttpClientBench.java BASE_URL STUDY_UID STOW_DIR
//   system properties (defaults): runs (5) warmup (2) conc (8) concRuns (3) qido (200) stow (50) timeoutS (60)
//
// Every response is checked: WADO-RS 200 with the same body size for every client and run (the first curl run sets
// it); QIDO 200 with a JSON array; STOW-RS 200 with one SOP Instance reference per part and no failure reason.
// Any failure ends the run with a message naming the client and the request.
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityTemplate;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.util.Timeout;

public class HttpClientBench {
    static final String WADO_ACCEPT = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    static final String BOUNDARY = "httpclientbench-7d9f0c1e";
    static final String STOW_TYPE = "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY;
    static final int CHUNK = 64 * 1024;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    static final int RUNS = Integer.getInteger("runs", 5);
    static final int WARMUP = Integer.getInteger("warmup", 2);
    static final int CONC = Integer.getInteger("conc", 8);
    static final int CONC_RUNS = Integer.getInteger("concRuns", 3);
    static final int QIDO = Integer.getInteger("qido", 200);
    static final int STOW = Integer.getInteger("stow", 50);
    static final Duration TIMEOUT = Duration.ofSeconds(Integer.getInteger("timeoutS", 60));

    /** One finished exchange: status, body bytes received, the response body when it was kept, seconds. */
    record Result(int status, long bytes, String text, double seconds) {}

    /** Writes a request body into a stream as it is produced (the proxy's STOW-RS case). */
    interface BodyWriter { void writeTo(OutputStream out) throws IOException; }

    interface Client {
        String name();
        /** GET, body read to the end in CHUNK pieces; keepText keeps a small body as a string. */
        Result get(URI uri, String accept, boolean keepText) throws Exception;
        /** POST of a body of unknown length, streamed while it is produced. */
        Result post(URI uri, String contentType, BodyWriter body) throws Exception;
    }

    // ------------------------------------------------------------------ clients

    /** The baseline: one curl process per request; the time is curl's own time_total (process start excluded). */
    static final class Curl implements Client {
        public String name() { return "curl"; }

        public Result get(URI uri, String accept, boolean keepText) throws Exception {
            return run(uri, List.of("-H", "Accept: " + accept), null, keepText);
        }

        public Result post(URI uri, String contentType, BodyWriter body) throws Exception {
            // -T - reads the body from stdin, of unknown length: curl sends it chunked as the producer writes it
            return run(uri, List.of("-X", "POST", "-T", "-", "-H", "Content-Type: " + contentType, "-H", "Expect:"),
                    body, true);
        }

        private Result run(URI uri, List<String> args, BodyWriter body, boolean keepText) throws Exception {
            Path out = Files.createTempFile("httpclientbench", ".body");
            try {
                List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time",
                        Long.toString(TIMEOUT.toSeconds()), "--connect-timeout", Long.toString(CONNECT_TIMEOUT.toSeconds()),
                        "-o", keepText ? out.toString() : "/dev/null", "-w", "%{http_code} %{size_download} %{time_total}"));
                cmd.addAll(args);
                cmd.add(uri.toString());
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                if (body != null) {
                    try (OutputStream stdin = p.getOutputStream()) { body.writeTo(stdin); }
                } else {
                    p.getOutputStream().close();
                }
                String w = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (!p.waitFor(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new TimeoutException("curl did not end: " + uri);
                }
                if (p.exitValue() != 0) throw new IOException("curl exit " + p.exitValue() + ": " + uri);
                String[] f = w.split(" ");
                return new Result(Integer.parseInt(f[0]), Long.parseLong(f[1]),
                        keepText ? Files.readString(out, StandardCharsets.UTF_8) : null, Double.parseDouble(f[2]));
            } finally {
                Files.deleteIfExists(out);
            }
        }
    }

    /** java.net.http.HttpClient, HTTP/1.1 (no h2c upgrade attempt against a plain-http upstream). */
    static final class Jdk implements Client {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).build();

        public String name() { return "JDK HttpClient"; }

        public Result get(URI uri, String accept, boolean keepText) throws Exception {
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", accept).GET().build();
            long t0 = System.nanoTime();
            HttpResponse<InputStream> rsp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = rsp.body()) {
                return drain(rsp.statusCode(), in, keepText, t0);
            }
        }

        public Result post(URI uri, String contentType, BodyWriter body) throws Exception {
            PipedInputStream pipe = new PipedInputStream(CHUNK);
            Thread producer = feed(pipe, body);
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> pipe)).build();
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> rsp = http.send(req, HttpResponse.BodyHandlers.ofString());
                double s = (System.nanoTime() - t0) / 1e9;
                return new Result(rsp.statusCode(), rsp.body().length(), rsp.body(), s);
            } finally {
                pipe.close();
                producer.join(TIMEOUT.toMillis());
            }
        }
    }

    /** Apache HttpClient 5, classic (blocking) API, one pooled client; no Accept-Encoding (a proxy passes bytes on). */
    static final class Apache implements Client {
        final boolean pipe;
        final CloseableHttpClient http;

        Apache(boolean pipe) {
            this.pipe = pipe;
            PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnPerRoute(4 * CONC).setMaxConnTotal(4 * CONC) // the default, 5 per route, would queue
                    .setDefaultConnectionConfig(ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                            .setSocketTimeout(Timeout.of(TIMEOUT)).build())
                    .build();
            http = org.apache.hc.client5.http.impl.classic.HttpClients.custom()
                    .setConnectionManager(pool)
                    .setDefaultRequestConfig(RequestConfig.custom()
                            .setConnectionRequestTimeout(Timeout.of(CONNECT_TIMEOUT))
                            .setResponseTimeout(Timeout.of(TIMEOUT)).build())
                    .disableContentCompression()
                    .build();
        }

        public String name() { return pipe ? "Apache HttpClient 5 (pipe)" : "Apache HttpClient 5"; }

        public Result get(URI uri, String accept, boolean keepText) throws Exception {
            HttpGet req = new HttpGet(uri);
            req.setHeader("Accept", accept);
            long t0 = System.nanoTime();
            try (ClassicHttpResponse rsp = http.executeOpen(null, req, null)) {
                HttpEntity e = rsp.getEntity();
                try (InputStream in = e == null ? InputStream.nullInputStream() : e.getContent()) {
                    return drain(rsp.getCode(), in, keepText, t0);
                }
            }
        }

        public Result post(URI uri, String contentType, BodyWriter body) throws Exception {
            ContentType ct = ContentType.parse(contentType);
            HttpPost req = new HttpPost(uri);
            PipedInputStream in = null;
            Thread producer = null;
            if (pipe) {
                in = new PipedInputStream(CHUNK);
                producer = feed(in, body);
                req.setEntity(new InputStreamEntity(in, -1, ct));
            } else {
                // the producer writes straight into the connection's (chunked) output stream: no pipe, no thread
                req.setEntity(new EntityTemplate(-1, ct, null, body::writeTo));
            }
            long t0 = System.nanoTime();
            try (ClassicHttpResponse rsp = http.executeOpen(null, req, null)) {
                String text = new String(rsp.getEntity().getContent().readAllBytes(), StandardCharsets.UTF_8);
                return new Result(rsp.getCode(), text.length(), text, (System.nanoTime() - t0) / 1e9);
            } finally {
                if (in != null) {
                    in.close();
                    producer.join(TIMEOUT.toMillis());
                }
            }
        }
    }

    static Result drain(int status, InputStream in, boolean keepText, long t0) throws IOException {
        if (keepText) {
            byte[] b = in.readAllBytes();
            return new Result(status, b.length, new String(b, StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1e9);
        }
        byte[] buf = new byte[CHUNK];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) total += n;
        return new Result(status, total, null, (System.nanoTime() - t0) / 1e9);
    }

    /** Starts a thread that writes the body into the pipe and closes it (an IOException there: the reader gave up). */
    static Thread feed(PipedInputStream pipe, BodyWriter body) throws IOException {
        PipedOutputStream out = new PipedOutputStream(pipe);
        Thread t = new Thread(() -> {
            try (out) {
                body.writeTo(out);
            } catch (IOException e) {
                System.err.println("HttpClientBench: body producer stopped: " + e);
            }
        }, "stow-producer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ------------------------------------------------------------------ measurements

    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes allocated so far by all live threads (the JDK client reads on its own selector/executor threads). */
    static long allocated() {
        return Arrays.stream(THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())).filter(b -> b > 0).sum();
    }

    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** CPU nanoseconds of this JVM so far, all threads (GC and JIT included; curl's CPU is not counted). */
    static long cpu() { return OS.getProcessCpuTime(); }

    static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().collect(Collectors.toList());
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double min(List<Double> v) { return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN); }

    static final List<String> ROWS = new ArrayList<>();

    static void row(String what, Client c, int n, String median, String min, String rate, String alloc, String cpu) {
        ROWS.add(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s |", what, c.name(), n, median, min,
                rate, alloc, cpu));
    }

    /** JVM CPU ms per request, or n/a for curl (its own process). */
    static String cpuMs(int client, long nanos, int requests) {
        return client == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", nanos / 1e6 / requests);
    }

    static String mb(long bytes) { return String.format(Locale.ROOT, "%.1f", bytes / 1e6); }

    static long wadoBytes = -1;

    static Result wado(Client c, URI uri) throws Exception {
        Result r = c.get(uri, WADO_ACCEPT, false);
        if (r.status() != 200) throw new IOException(c.name() + ": WADO-RS " + uri + " answered " + r.status());
        if (wadoBytes < 0) wadoBytes = r.bytes();
        if (r.bytes() != wadoBytes)
            throw new IOException(c.name() + ": WADO-RS body of " + r.bytes() + " bytes, the first one had " + wadoBytes);
        return r;
    }

    static void wadoSingle(List<Client> clients, URI uri) throws Exception {
        for (int i = 0; i < WARMUP; i++) for (Client c : clients) wado(c, uri);
        List<List<Double>> times = new ArrayList<>();
        long[] alloc = new long[clients.size()], cpu = new long[clients.size()];
        clients.forEach(c -> times.add(new ArrayList<>()));
        for (int r = 0; r < RUNS; r++) {
            for (int i = 0; i < clients.size(); i++) {   // interleaved: a drift of the machine hits every client alike
                long a0 = allocated(), c0 = cpu();
                times.get(i).add(wado(clients.get(i), uri).seconds());
                alloc[i] += allocated() - a0;
                cpu[i] += cpu() - c0;
            }
        }
        for (int i = 0; i < clients.size(); i++) {
            double med = median(times.get(i));
            row("WADO-RS study, 1 at a time", clients.get(i), RUNS, sec(med), sec(min(times.get(i))),
                    rate(wadoBytes, med), i == 0 ? "n/a" : mb(alloc[i] / RUNS), cpuMs(i, cpu[i], RUNS));
        }
    }

    static void wadoConcurrent(List<Client> clients, URI uri) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONC, r -> { Thread t = new Thread(r); t.setDaemon(true); return t; });
        try {
            List<List<Double>> walls = new ArrayList<>();
            long[] alloc = new long[clients.size()], cpu = new long[clients.size()];
            clients.forEach(c -> walls.add(new ArrayList<>()));
            for (int r = 0; r < CONC_RUNS + 1; r++) {   // round 0: warm-up of the concurrent path
                for (int i = 0; i < clients.size(); i++) {
                    Client c = clients.get(i);
                    long a0 = allocated(), c0 = cpu(), t0 = System.nanoTime();
                    List<Future<Result>> fs = new ArrayList<>();
                    for (int k = 0; k < CONC; k++) fs.add(pool.submit(() -> wado(c, uri)));
                    for (Future<Result> f : fs) f.get(TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
                    if (r > 0) {
                        walls.get(i).add((System.nanoTime() - t0) / 1e9);
                        alloc[i] += allocated() - a0;
                        cpu[i] += cpu() - c0;
                    }
                }
            }
            for (int i = 0; i < clients.size(); i++) {
                double med = median(walls.get(i));
                row("WADO-RS study, " + CONC + " at once (wall time of all " + CONC + ")", clients.get(i), CONC_RUNS,
                        sec(med), sec(min(walls.get(i))), rate(CONC * wadoBytes, med),
                        i == 0 ? "n/a" : mb(alloc[i] / CONC_RUNS / CONC), cpuMs(i, cpu[i], CONC_RUNS * CONC));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static void qido(List<Client> clients, URI uri) throws Exception {
        List<List<Double>> times = new ArrayList<>();
        clients.forEach(c -> times.add(new ArrayList<>()));
        for (int i = 0; i < clients.size(); i++) {
            Client c = clients.get(i);
            for (int k = 0; k < QIDO + 20; k++) {   // 20 untimed first
                Result r = c.get(uri, "application/dicom+json", true);
                if (r.status() != 200 || !r.text().trim().startsWith("["))
                    throw new IOException(c.name() + ": QIDO-RS " + uri + " answered " + r.status() + ": " + r.text());
                if (k >= 20) times.get(i).add(r.seconds());
            }
        }
        for (int i = 0; i < clients.size(); i++) {
            row("QIDO-RS studies?limit=10, ms", clients.get(i), QIDO, ms(median(times.get(i))), ms(min(times.get(i))),
                    "", "", "");
        }
    }

    /** The STOW-RS body: one part per file, written in CHUNK pieces as the files are read. */
    static BodyWriter multipart(List<Path> files) {
        return out -> {
            byte[] buf = new byte[CHUNK];
            for (Path f : files) {
                out.write(("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                try (InputStream in = Files.newInputStream(f)) {
                    for (int n; (n = in.read(buf)) >= 0; ) out.write(buf, 0, n);
                }
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        };
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    static void stow(List<Client> clients, URI uri, List<Path> files) throws Exception {
        long bytes = 0;
        for (Path f : files) bytes += Files.size(f);
        BodyWriter body = multipart(files);
        int runs = Math.max(3, RUNS / 2);
        for (int i = 0; i < clients.size(); i++) {
            Client c = clients.get(i);
            List<Double> t = new ArrayList<>();
            long cpu = 0;
            for (int r = 0; r < runs + 1; r++) {   // run 0 untimed
                long c0 = cpu();
                Result res = c.post(uri, STOW_TYPE, body);
                // one ReferencedSOPInstanceUID (0008,1155) per part, none with a FailureReason (0008,1197) (Orthanc
                // always sends a FailedSOPSequence, empty when all were stored)
                int refs = count(res.text(), "\"00081155\"");
                if (res.status() != 200 || refs != files.size() || res.text().contains("\"00081197\""))
                    throw new IOException(c.name() + ": STOW-RS answered " + res.status() + " with " + refs + "/"
                            + files.size() + " references: " + res.text().substring(0, Math.min(300, res.text().length())));
                if (r > 0) {
                    t.add(res.seconds());
                    cpu += cpu() - c0;
                }
            }
            double med = median(t);
            // curl's row: the JVM only produces the body into curl's stdin
            row("STOW-RS " + files.size() + " instances, streamed (chunked)", c, runs, sec(med), sec(min(t)),
                    rate(bytes, med), "", (i == 0 ? "(producer) " : "") + String.format(Locale.ROOT, "%.0f", cpu / 1e6 / runs));
        }
    }

    // ------------------------------------------------------------------ timeouts against a server that stalls

    /**
     * A local server that answers headers and 1000 of 1000000 announced bytes (midBody), or nothing at all, then
     * holds the connection. Reports how long the client's read took to fail with a 2 s read/request timeout, or
     * that it still blocked after 6 s (then, for the JDK, whether closing its stream from another thread frees it).
     */
    static String stall(String which, boolean midBody) throws Exception {
        Duration t = Duration.ofSeconds(2);
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/stall");
            Thread srv = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[8192]);
                    if (midBody) {
                        OutputStream o = s.getOutputStream();
                        o.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        o.write(new byte[1000]);
                        o.flush();
                    }
                    s.getInputStream().read();   // held until the client or the end of the check closes it
                } catch (IOException e) {
                    // closed: the check is over
                }
            }, "stall-server");
            srv.setDaemon(true);
            srv.start();
            InputStream[] open = new InputStream[1];
            ExecutorService ex = Executors.newSingleThreadExecutor(r -> { Thread th = new Thread(r); th.setDaemon(true); return th; });
            long t0 = System.nanoTime();
            Future<String> f = ex.submit(() -> {
                try {
                    if (which.equals("jdk")) {
                        HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(t).build();
                        HttpResponse<InputStream> r = c.send(HttpRequest.newBuilder(uri).timeout(t).build(),
                                HttpResponse.BodyHandlers.ofInputStream());
                        open[0] = r.body();
                        drain(r.statusCode(), r.body(), false, 0);
                    } else {
                        try (CloseableHttpClient c = org.apache.hc.client5.http.impl.classic.HttpClients.custom()
                                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(t)).build())
                                .disableAutomaticRetries().build();
                             ClassicHttpResponse r = c.executeOpen(null, new HttpGet(uri), null)) {
                            drain(r.getCode(), r.getEntity().getContent(), false, 0);
                        }
                    }
                    return "no error: the body ended";
                } catch (Exception e) {
                    return e.getClass().getSimpleName();
                }
            });
            try {
                String what = f.get(6, TimeUnit.SECONDS);
                return String.format(Locale.ROOT, "%s after %.1f s", what, (System.nanoTime() - t0) / 1e9);
            } catch (TimeoutException e) {
                String more = "";
                if (open[0] != null) {
                    open[0].close();
                    try {
                        more = ", close() of the body stream from another thread: " + f.get(2, TimeUnit.SECONDS);
                    } catch (TimeoutException e2) {
                        more = ", close() of the body stream from another thread does not free it";
                    }
                }
                return "still blocked after 6 s" + more;
            } finally {
                server.close();
                ex.shutdownNow();
                srv.join(2000);
            }
        }
    }

    static String sec(double s) { return String.format(Locale.ROOT, "%.3f s", s); }
    static String ms(double s) { return String.format(Locale.ROOT, "%.2f", s * 1000); }
    static String rate(long bytes, double s) { return String.format(Locale.ROOT, "%.0f", bytes / 1e6 / s); }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) throw new IllegalArgumentException("usage: HttpClientBench BASE_URL STUDY_UID STOW_DIR");
        String base = args[0].replaceAll("/+$", "");
        URI study = URI.create(base + "/studies/" + args[1]);
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of(args[2]))) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().limit(STOW).collect(Collectors.toList());
        }
        if (files.size() < STOW) throw new IllegalArgumentException("fewer than " + STOW + " *.dcm files under " + args[2]);

        List<Client> clients = List.of(new Curl(), new Jdk(), new Apache(false));
        log("WADO-RS study, one at a time");
        wadoSingle(clients, study);
        log("WADO-RS study, " + CONC + " at once");
        wadoConcurrent(clients, study);
        log("QIDO-RS");
        qido(clients, URI.create(base + "/studies?limit=10"));
        log("STOW-RS");
        stow(List.of(clients.get(0), clients.get(1), new Apache(true), clients.get(2)), URI.create(base + "/studies"), files);
        log("timeouts");
        String jdkHead = stall("jdk", false), jdkBody = stall("jdk", true);
        String apHead = stall("apache", false), apBody = stall("apache", true);

        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "JVM %s, max heap %d MB, %d CPUs; WADO-RS body %s MB; chunk %d KiB%n%n",
                System.getProperty("java.vm.version"), rt.maxMemory() >> 20, rt.availableProcessors(), mb(wadoBytes), CHUNK >> 10);
        System.out.println("| what | client | runs | median | min | MB/s (median) | allocated per request, MB | JVM CPU per request, ms |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        ROWS.forEach(System.out::println);
        System.out.println();
        System.out.println("Timeouts against a local server that stalls (2 s request/response timeout, connect timeout set):");
        System.out.println();
        System.out.println("| client | server sends nothing after the request | server stalls after headers + 1000 bytes |");
        System.out.println("|---|---|---|");
        System.out.println("| JDK HttpClient, HttpRequest.timeout(2 s) | " + jdkHead + " | " + jdkBody + " |");
        System.out.println("| Apache HttpClient 5, RequestConfig.responseTimeout(2 s) | " + apHead + " | " + apBody + " |");
        System.exit(0);   // JDK 17's HttpClient has no close(): its selector thread would outlive main
    }

    static void log(String what) { System.err.println("HttpClientBench: " + what); }
}
