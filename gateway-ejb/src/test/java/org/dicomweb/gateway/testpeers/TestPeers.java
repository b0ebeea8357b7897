package org.dicomweb.gateway.testpeers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real test peers that scripts/peers.sh runs on loopback (Orthanc as ORTHANC, dcmtk's dcmqrscp as DCMQRSCP,
 * S3Proxy, PostgreSQL), and ways for tests to stop, restart, freeze, thaw and kill them.
 */
public final class TestPeers {

    public static final String HOST = "127.0.0.1";
    public static final int ORTHANC_PORT = 14242;
    /** The test secret of ORTHANC-DEID (wildfly-config/loopback-peers.cli), public: never a production one. */
    public static final String DEIDENTIFY_SECRET = "test-secret-of-the-loopback-peers-not-for-production";
    public static final int DCMQRSCP_PORT = 11113;
    public static final int GATEWAY_SCP_PORT = 11112;

    private TestPeers() {
    }

    public static Path projectRoot() {
        return Path.of(System.getProperty("project.root", "../")).toAbsolutePath().normalize();
    }

    public static void start(String peer) {
        run("bash", projectRoot().resolve("scripts/peers.sh").toString(), "start", peer);
    }

    public static void stop(String peer) {
        run("bash", projectRoot().resolve("scripts/peers.sh").toString(), "stop", peer);
    }

    /** SIGSTOP: the peer's sockets stay open but nothing answers, like a hung PACS. */
    public static void freeze(String peer) {
        run("kill", "-STOP", pid(peer));
    }

    /** SIGCONT; a peer that is not running (a test stopped it) is not frozen either, so nothing to do. */
    public static void thaw(String peer) {
        if (Files.exists(pidFile(peer))) {
            run("kill", "-CONT", pid(peer));
        }
    }

    /** SIGKILL: the peer dies at once, mid-request, as a crashed store does; {@link #start} brings it back. */
    public static void kill(String peer) {
        run("kill", "-KILL", pid(peer));
    }

    private static String pid(String peer) {
        try {
            return Files.readString(pidFile(peer)).trim();
        } catch (IOException e) {
            throw new IllegalStateException("no pid file for " + peer + ": is it started by scripts/peers.sh?", e);
        }
    }

    private static Path pidFile(String peer) {
        return projectRoot().resolve("work/peers/" + peer + "/pid");
    }

    /** Runs a command, returns its combined output, fails the test if it exits non-zero. */
    public static String run(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
