package org.dicomweb.gateway.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.CDI;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import org.dicomweb.gateway.aets.AeDescription;
import org.dicomweb.gateway.aets.AeService;
import org.dicomweb.gateway.aets.EchoResult;

/**
 * Ready when every configured PACS answers a C-ECHO. The echoes run in parallel; each AE appears in the data by its
 * AE title with "UP (n ms)" or "DOWN: reason".
 */
@Readiness
@ApplicationScoped
public class PacsReadinessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        AeService aes = CDI.current().select(AeService.class).get();
        Map<String, CompletableFuture<String>> echoes = new LinkedHashMap<>();
        for (AeDescription ae : aes.list()) {
            echoes.put(ae.aet(), describe(aes.echo(ae.aet())));
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named("pacs-echo").up();
        echoes.forEach((aet, outcome) -> {
            String text = outcome.join(); // bounded: each echo's stage has its AE's deadline (AeService.echo)
            response.withData(aet, text);
            if (!text.startsWith("UP")) {
                response.down();
            }
        });
        return response.build();
    }

    private static CompletableFuture<String> describe(CompletionStage<EchoResult> echo) {
        return echo.toCompletableFuture().handle((result, failure) -> {
            if (failure == null) {
                return String.format("UP (%.1f ms)", result.roundTripMs());
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            return "DOWN: " + cause.getMessage();
        });
    }
}
