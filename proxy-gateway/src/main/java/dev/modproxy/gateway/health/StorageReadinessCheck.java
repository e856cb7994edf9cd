package dev.modproxy.gateway.health;

import dev.modproxy.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when storage answers: every hit is served from it, so a gateway that cannot reach
 * it would answer 503 to everything and must get no traffic.
 */
@Readiness
@ApplicationScoped
public class StorageReadinessCheck implements HealthCheck {

    private final BlobStore store;

    public StorageReadinessCheck(BlobStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            store.ping();
            return HealthCheckResponse.up("storage");
        } catch (Exception e) {
            return HealthCheckResponse.named("storage").down()
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
