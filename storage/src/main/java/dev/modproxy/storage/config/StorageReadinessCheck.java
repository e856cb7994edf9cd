package dev.modproxy.storage.config;

import dev.modproxy.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while storage answers: every service reads or writes it on every request, so a
 * replica that cannot reach it must be taken out of rotation (it stays live, and comes back
 * when storage does).
 */
@Readiness
@ApplicationScoped
public class StorageReadinessCheck implements HealthCheck {

    private final BlobStore store;
    private final StorageConfig config;

    public StorageReadinessCheck(BlobStore store, StorageConfig config) {
        this.store = store;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var r = HealthCheckResponse.named("storage").withData("type", config.storage().type());
        try {
            store.ping();
            return r.up().build();
        } catch (Exception e) {
            return r.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
