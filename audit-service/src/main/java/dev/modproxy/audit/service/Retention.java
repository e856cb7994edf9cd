package dev.modproxy.audit.service;

import dev.modproxy.audit.config.AuditConfig;
import dev.modproxy.audit.segment.SegmentStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes the hours older than {@code modproxy.audit.retention}, at start-up and every
 * {@code modproxy.audit.retention-interval}. Every replica may run it: deletes are idempotent.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);

    private final SegmentStore segments;
    private final AuditConfig config;
    private final Counter expired;
    private ScheduledExecutorService timer;

    public Retention(SegmentStore segments, AuditConfig config, MeterRegistry registry) {
        this.segments = segments;
        this.config = config;
        this.expired = registry.counter("modproxy.audit.blobs.expired");
    }

    void start(@Observes StartupEvent ev) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-retention");
            t.setDaemon(true);
            return t;
        });
        long every = config.audit().retentionInterval().toMillis();
        timer.scheduleWithFixedDelay(this::sweep, 0, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** One sweep; returns how many blobs it deleted. */
    public int sweep() {
        try {
            int n = segments.expire(Instant.now().minus(config.audit().retention()));
            expired.increment(n);
            if (n > 0) {
                LOG.infof("audit retention: deleted %d blobs older than %s", n, config.audit().retention());
            }
            return n;
        } catch (Exception e) {
            LOG.warnf("audit retention sweep failed (next one retries): %s", e.getMessage());
            return 0;
        }
    }
}
