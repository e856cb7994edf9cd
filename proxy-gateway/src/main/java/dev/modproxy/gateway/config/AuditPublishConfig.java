package dev.modproxy.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The gateway's audit settings ({@code modproxy.audit.*}, environment {@code MODPROXY_AUDIT_*}).
 * The broker is Kafka's {@code kafka.bootstrap.servers} ({@code KAFKA_BOOTSTRAP_SERVERS}).
 */
@ConfigMapping(prefix = "modproxy.audit")
public interface AuditPublishConfig {

    /** Publish an audit event per request at all. */
    @WithDefault("true")
    boolean enabled();

    /** The Kafka topic. */
    @WithDefault("modproxy.audit")
    String topic();

    /**
     * audit-service, where {@code /api/v1/audit} is forwarded; unset means
     * {@link #DEFAULT_ENDPOINT}. No {@code @WithDefault}: {@code OpsConfig} maps the same key as
     * optional (download counts say "not configured" without it), and a mapping default would
     * leak into it.
     */
    Optional<URI> endpoint();

    URI DEFAULT_ENDPOINT = URI.create("http://localhost:8083");

    /** The journal (spool) directory; default {@code <data-dir>/audit-spool}. */
    @WithName("spool.dir")
    Optional<Path> spoolDir();

    /** The journal's bound in bytes (events not yet acknowledged); beyond it events are dropped (counted, and health says so). */
    @WithName("spool.max-bytes")
    @WithDefault("1073741824")
    long spoolMaxBytes();

    /** Size of one journal segment file (memory-mapped; at most 1 GiB). */
    @WithName("spool.segment-bytes")
    @WithDefault("16777216")
    long spoolSegmentBytes();

    /** Most events sent to the broker and not yet acknowledged. */
    @WithName("queue-capacity")
    @WithDefault("100000")
    int queueCapacity();

    /** How long the producer retries an event before the broker counts as away (events wait in the journal). */
    @WithName("delivery-timeout")
    @WithDefault("10s")
    Duration deliveryTimeout();

    /** The replica name in events; default the host name. */
    Optional<String> replica();
}
