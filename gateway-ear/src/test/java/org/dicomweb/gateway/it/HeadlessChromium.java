package org.dicomweb.gateway.it;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Debian's {@code chromium} in headless mode, driven through the DevTools protocol over the JDK's WebSocket client
 * (no WebDriver, no new dependency): one page, navigated, read by evaluating JavaScript in it, and clicked with real
 * mouse events at an element's position. Its profile is a temporary directory; {@link #close} kills the browser
 * with all its child processes and deletes the profile. Every wait has a deadline.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Duration START_DEADLINE = Duration.ofSeconds(30);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Path profile;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, CompletableFuture<JsonObject>> calls = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private WebSocket socket;

    private HeadlessChromium(Path profile, Process process) {
        this.profile = profile;
        this.process = process;
    }

    /** Starts Chromium with an empty page; fails naming what is missing when the browser cannot start. */
    static HeadlessChromium start() throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("status-page-chromium-");
        // --no-sandbox: Chromium's sandbox cannot start as root (the test machine runs as root in a container).
        ProcessBuilder builder = new ProcessBuilder("chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile.resolve("data"), "--window-size=1280,1024", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            deleteTree(profile);
            throw new IOException("cannot run chromium (scripts/setup.sh installs Debian's chromium): "
                    + e.getMessage(), e);
        }
        HeadlessChromium chromium = new HeadlessChromium(profile, process);
        try {
            chromium.connect();
            return chromium;
        } catch (IOException | RuntimeException | InterruptedException e) {
            chromium.close();
            throw e;
        }
    }

    /** Chromium writes the port it chose into the profile; the page's WebSocket is listed at /json/list. */
    private void connect() throws IOException, InterruptedException {
        Path portFile = profile.resolve("data").resolve("DevToolsActivePort");
        Instant deadline = Instant.now().plus(START_DEADLINE);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("chromium did not open its DevTools port within " + START_DEADLINE
                        + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + "; its output: "
                        + log());
            }
            Thread.sleep(POLL.toMillis());
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
        HttpResponse<String> targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/json/list")).timeout(CALL_DEADLINE).build(), HttpResponse.BodyHandlers.ofString());
        String pageSocket = Json.createReader(new StringReader(targets.body())).readArray().stream()
                .map(JsonValue::asJsonObject).filter(target -> target.getString("type").equals("page"))
                .map(target -> target.getString("webSocketDebuggerUrl")).findFirst()
                .orElseThrow(() -> new IllegalStateException("chromium lists no page: " + targets.body()));
        socket = http.newWebSocketBuilder().connectTimeout(CALL_DEADLINE)
                .buildAsync(URI.create(pageSocket), new Replies()).orTimeout(CALL_DEADLINE.toSeconds(),
                        TimeUnit.SECONDS).join();
    }

    /** Loads a URL and waits until its document has loaded (its deferred scripts ran). */
    void open(String url) {
        call("Page.navigate", Json.createObjectBuilder().add("url", url).build());
        waitUntil("the page " + url + " has loaded", "document.readyState === 'complete'", CALL_DEADLINE);
    }

    /** The value of a JavaScript expression (a promise is awaited), as JSON. */
    JsonValue evaluate(String expression) {
        JsonObject result = call("Runtime.evaluate", Json.createObjectBuilder().add("expression", expression)
                .add("returnByValue", true).add("awaitPromise", true).build());
        if (result.containsKey("exceptionDetails")) {
            throw new IllegalStateException("the page threw on " + expression + ": "
                    + result.getJsonObject("exceptionDetails"));
        }
        JsonObject value = result.getJsonObject("result");
        return value.containsKey("value") ? value.get("value") : JsonValue.NULL;
    }

    /** Polls an expression until it is true; past the deadline fails with what the page shows. */
    void waitUntil(String what, String expression, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!JsonValue.TRUE.equals(evaluate(expression))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout + ": " + what + "; the page shows: "
                        + evaluate("document.body ? document.body.innerText : document.documentElement.outerHTML"));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A left click with the mouse at the middle of the element (scrolled into view): what a user's click does. */
    void click(String selectorExpression) {
        JsonObject box = evaluate("(() => { const e = " + selectorExpression + "; if (!e) return null;"
                + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()").asJsonObject();
        for (String type : List.of("mouseMoved", "mousePressed", "mouseReleased")) {
            call("Input.dispatchMouseEvent", Json.createObjectBuilder().add("type", type)
                    .add("x", box.getJsonNumber("x").doubleValue()).add("y", box.getJsonNumber("y").doubleValue())
                    .add("button", "left").add("buttons", type.equals("mousePressed") ? 1 : 0)
                    .add("clickCount", type.equals("mouseMoved") ? 0 : 1).build());
        }
    }

    /**
     * Puts the page in the background: frozen and resumed, it stays hidden ({@code document.hidden}) as a tab behind
     * others does; headless Chromium has no tabs to switch.
     */
    void hide() {
        call("Page.setWebLifecycleState", Json.createObjectBuilder().add("state", "frozen").build());
        call("Page.setWebLifecycleState", Json.createObjectBuilder().add("state", "active").build());
        if (!JsonValue.TRUE.equals(evaluate("document.hidden"))) {
            throw new IllegalStateException("chromium did not hide the page");
        }
    }

    private JsonObject call(String method, JsonObject params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        calls.put(id, reply);
        try {
            String message = Json.createObjectBuilder().add("id", id).add("method", method).add("params", params)
                    .build().toString();
            socket.sendText(message, true).get(CALL_DEADLINE.toSeconds(), TimeUnit.SECONDS);
            JsonObject answer = reply.get(CALL_DEADLINE.toSeconds(), TimeUnit.SECONDS);
            if (answer.containsKey("error")) {
                throw new IllegalStateException("chromium refused " + method + ": " + answer.getJsonObject("error"));
            }
            return answer.getJsonObject("result");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("chromium did not answer " + method + " within " + CALL_DEADLINE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            calls.remove(id);
        }
    }

    /** Completes each call with the reply of its id; events (no id) are not used. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonObject message = Json.createReader(new StringReader(text.toString())).readObject();
                text.setLength(0);
                if (message.containsKey("id")) {
                    CompletableFuture<JsonObject> call = calls.get(message.getInt("id"));
                    if (call != null) {
                        call.complete(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            calls.values().forEach(call -> call.completeExceptionally(error));
        }
    }

    private String log() {
        try {
            List<String> lines = Files.readAllLines(profile.resolve("chromium.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the browser and its helper processes (renderer, GPU, zygote) and deletes the profile. */
    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                handle.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            }
        }
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(profile);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the chromium profile " + root, e);
        }
    }
}
