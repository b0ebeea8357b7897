package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * scripts/provision-wildfly.sh into an empty directory, as on a machine that has never seen the project: its standard
 * output is the WildFly home and nothing else (the run command captures it), and a second run says the same.
 */
class ProvisioningIT {

    @Test
    void printsOnlyTheWildFlyHomeIntoAnEmptyDirectoryAndAgain(@TempDir Path work) throws Exception {
        Run first = provision(work);
        assertEquals(0, first.exitCode(), first.stderr());
        String home = first.stdout();
        Path expected = work.resolve("wildfly-" + wildflyVersion());
        assertEquals(expected + "\n", home, "stdout must be the home directory alone; stderr:\n" + first.stderr());
        assertTrue(Files.isExecutable(expected.resolve("bin/standalone.sh")));
        String config = Files.readString(expected.resolve("standalone/configuration/standalone-full.xml"));
        assertTrue(config.contains("dicomweb-gateway") && config.contains("dicomweb-dimse"),
                "gateway.cli was not applied");
        assertTrue(first.stderr().contains("unpacking WildFly"), first.stderr());

        Run second = provision(work);
        assertEquals(0, second.exitCode(), second.stderr());
        assertEquals(home, second.stdout());
    }

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run provision(Path work) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash",
                TestPeers.projectRoot().resolve("scripts/provision-wildfly.sh").toString());
        builder.environment().put("GATEWAY_WORK_DIR", work.toString());
        Process process = builder.start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process, true));
        String stdout = read(process, false);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("provision-wildfly.sh did not finish within 5 minutes");
        }
        return new Run(process.exitValue(), stdout, stderr.join());
    }

    private static String read(Process process, boolean errors) {
        try {
            return new String((errors ? process.getErrorStream() : process.getInputStream()).readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String wildflyVersion() throws IOException {
        String pom = Files.readString(TestPeers.projectRoot().resolve("pom.xml"));
        return pom.replaceAll("(?s).*<wildfly.version>(.*?)</wildfly.version>.*", "$1");
    }
}
