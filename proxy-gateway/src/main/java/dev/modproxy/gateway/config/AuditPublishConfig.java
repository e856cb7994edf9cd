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

    /** The spool directory; default {@code <data-dir>/audit-spool}. */
    @WithName("spool.dir")
    Optional<Path> spoolDir();

    /** The spool's bound in bytes; beyond it events are dropped (counted, and health says so). */
    @WithName("spool.max-bytes")
    @WithDefault("1073741824")
    long spoolMaxBytes();

    /** Events held in memory between request threads and the sender. */
    @WithName("queue-capacity")
    @WithDefault("100000")
    int queueCapacity();

    /** How long the producer retries an event before it goes to the spool. */
    @WithName("delivery-timeout")
    @WithDefault("10s")
    Duration deliveryTimeout();

    /** The replica name in events; default the host name. */
    Optional<String> replica();
}
