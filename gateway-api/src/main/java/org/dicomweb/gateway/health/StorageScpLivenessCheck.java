package org.dicomweb.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.CDI;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the Storage SCP listens: PACS being down makes the gateway unready, never dead. */
@Liveness
@ApplicationScoped
public class StorageScpLivenessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        StorageScpStatus scp = CDI.current().select(StorageScpStatus.class).get();
        return HealthCheckResponse.named("dicom-storage-scp")
                .status(scp.isListening())
                .withData("aet", scp.aet())
                .withData("address", scp.address())
                .build();
    }
}
