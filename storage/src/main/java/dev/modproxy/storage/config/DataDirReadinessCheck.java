package dev.modproxy.storage.config;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ready only when the data directory can be written: a service that cannot keep its state
 * (temporary downloads, spools, keys, git mirrors) must not be sent traffic. Shared by every
 * service, as the data directory setting is. Probing by writing a file catches read-only mounts and full
 * disks, which an existence check would miss.
 */
@Readiness
@ApplicationScoped
public class DataDirReadinessCheck implements HealthCheck {

    private final StorageConfig config;

    public DataDirReadinessCheck(StorageConfig config) {
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        Path dir = config.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".ready", ".probe");
            Files.delete(probe);
            return HealthCheckResponse.named("data-dir").up().withData("path", dir.toString()).build();
        } catch (IOException | RuntimeException e) {
            return HealthCheckResponse.named("data-dir").down()
                    .withData("path", dir.toString())
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
