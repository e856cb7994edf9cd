package dev.modproxy.audit.health;

import dev.modproxy.audit.events.AuditConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the consumer: its lag and the last storage error. It stays UP while the broker is away
 * (queries are still answered from storage, and the gateways spool meanwhile); it is DOWN only if
 * the consumer thread has died, which needs a restart.
 */
@Readiness
@ApplicationScoped
public class ConsumerHealthCheck implements HealthCheck {

    private final AuditConsumer consumer;

    public ConsumerHealthCheck(AuditConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        var r = HealthCheckResponse.named("audit-consumer")
                .withData("lag", consumer.lag())
                .withData("lastError", consumer.lastError());
        return (consumer.running() ? r.up() : r.down()).build();
    }
}
