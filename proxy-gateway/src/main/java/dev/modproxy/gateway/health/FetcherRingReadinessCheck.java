package dev.modproxy.gateway.health;

import dev.modproxy.gateway.client.FetcherRing;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the gateway knows its fetchers. It does not call them: a fetcher outage
 * must not take every gateway out of service, since hits are still served from storage.
 */
@Readiness
@ApplicationScoped
public class FetcherRingReadinessCheck implements HealthCheck {

    private final FetcherRing ring;

    public FetcherRingReadinessCheck(FetcherRing ring) {
        this.ring = ring;
    }

    @Override
    public HealthCheckResponse call() {
        // One snapshot: DNS entries may change the members while this runs.
        java.util.List<java.net.URI> endpoints = ring.endpoints();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("fetcher-ring").status(!endpoints.isEmpty());
        b.withData("endpoints", endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            b.withData("endpoint." + i, endpoints.get(i).toString());
        }
        return b.build();
    }
}
