package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import jakarta.json.JsonValue;

import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/**
 * What the WildFly under test holds, measured from outside: its threads (platform MBean), its open file descriptors
 * (/proc/{pid}/fd), its busy PACS associations ({@code GET /aets}).
 */
final class ServerProcess {

    private ServerProcess() {
    }

    static ModelNode read(ManagementClient management, ModelNode address, String attribute) throws IOException {
        ModelNode result = management.getControllerClient().execute(
                Operations.createReadAttributeOperation(address, attribute));
        assertTrue(Operations.isSuccessfulOutcome(result), result.toString());
        return Operations.readResult(result);
    }

    /** The server's own process ("pid@host" of its runtime MBean): other WildFlys may run from the same home. */
    static String pid(ManagementClient management) throws IOException {
        return read(management, Operations.createAddress("core-service", "platform-mbean", "type", "runtime"), "name")
                .asString().split("@")[0];
    }

    static int threads(ManagementClient management) throws IOException {
        return read(management, Operations.createAddress("core-service", "platform-mbean", "type", "threading"),
                "thread-count").asInt();
    }

    /** Where the gateway keeps its cache of studies (gateway.cache.directory's default). */
    static Path cacheDirectory(ManagementClient management) throws IOException {
        return Path.of(read(management, Operations.createAddress("core-service", "server-environment"), "data-dir")
                .asString(), "dicomweb-cache");
    }

    /** The targets of the process's open file descriptors (sockets as "socket:[inode]"). */
    static List<String> openFiles(String pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", pid, "fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    return "";
                }
            }).filter(target -> !target.isEmpty()).toList();
        }
    }

    static List<String> openFilesUnder(String pid, Path directory) throws IOException {
        return openFiles(pid).stream().filter(target -> target.startsWith(directory.toString())).toList();
    }

    /** Associations busy in any pool to any PACS (AEs of a backend without associations, e.g. dicomweb, list none). */
    static int busyAssociations() {
        return Http.get(Http.GATEWAY + "/aets").json().asJsonArray().stream()
                .flatMap(ae -> ae.asJsonObject().getOrDefault("pools", JsonValue.EMPTY_JSON_ARRAY).asJsonArray().stream())
                .map(JsonValue::asJsonObject)
                .mapToInt(pool -> pool.getInt("busy"))
                .sum();
    }

    /** Associations busy in the pools to one PACS entry. */
    static int busyAssociations(String aet) {
        return Http.get(Http.GATEWAY + "/aets").json().asJsonArray().stream()
                .map(JsonValue::asJsonObject)
                .filter(ae -> ae.getString("aet").equals(aet))
                .flatMap(ae -> ae.getJsonArray("pools").stream())
                .map(JsonValue::asJsonObject)
                .mapToInt(pool -> pool.getInt("busy"))
                .sum();
    }

    /** Polls {@code condition} until it holds or {@code timeoutMs} passed; whether it held. */
    static boolean await(long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }
}
