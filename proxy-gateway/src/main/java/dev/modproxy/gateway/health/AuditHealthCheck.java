package dev.modproxy.gateway.health;

import dev.modproxy.audit.events.AuditPublisher;
import dev.modproxy.gateway.events.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The audit trail's state in readiness: {@code DIRECT}, {@code SPOOLING} (broker away or behind,
 * events waiting in the journal) or {@code DEGRADED} (the journal was full and events were dropped
 * in the last minutes).
 * Always UP: a broker outage must not take the proxy out of rotation — that is what the spool
 * is for — so the state is reported in the check's data for alerts and dashboards.
 */
@Readiness
@ApplicationScoped
public class AuditHealthCheck implements HealthCheck {

    private final AuditTrail trail;

    public AuditHealthCheck(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public HealthCheckResponse call() {
        AuditPublisher p = trail.publisher();
        var r = HealthCheckResponse.named("audit").up();
        if (p == null) {
            return r.withData("state", "DISABLED").build();
        }
        return r.withData("state", p.state().name())
                .withData("spooledEvents", p.spoolPending())
                .withData("spoolBytes", p.spoolBytes())
                .withData("spoolMaxBytes", p.spoolMaxBytes())
                .withData("dropped", p.dropped())
                .build();
    }
}
