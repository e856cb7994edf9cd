package dev.modproxy.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code modproxy.*} settings this service reads (environment: {@code MODPROXY_*}).
 * Names and defaults are the contract in DESIGN.md and the README; only the keys used here are
 * mapped. The broker is Kafka's own {@code kafka.bootstrap.servers} (environment
 * {@code KAFKA_BOOTSTRAP_SERVERS}, default {@code localhost:9092}).
 */
@ConfigMapping(prefix = "modproxy")
public interface AuditConfig {

    /** Where local state lives when storage is the local filesystem. */
    @WithName("data-dir")
    @WithDefault(".modproxy")
    Path dataDir();

    Audit audit();

    interface Audit {
        /** The Kafka topic the gateways publish to. */
        @WithDefault("modproxy.audit")
        String topic();

        /** The consumer group: every audit-service replica joins it and takes a share of the partitions. */
        @WithDefault("modproxy-audit")
        String group();

        /** How long stored events are kept; older hours are deleted. */
        @WithDefault("90d")
        Duration retention();

        /** How often the retention sweep runs. */
        @WithName("retention-interval")
        @WithDefault("1h")
        Duration retentionInterval();

        /** Events per partition that make a segment (a bigger batch is fewer, larger segments). */
        /**
         * Partitions of the audit topic when audit-service creates it (at start, if it does not
         * exist): the most audit-service replicas that share the consuming.
         */
        @WithDefault("6")
        int partitions();

        /** Its replication factor; empty: the broker's default. */
        @WithName("replication-factor")
        java.util.Optional<Short> replicationFactor();

        @WithName("segment-events")
        @WithDefault("5000")
        int segmentEvents();

        /** Longest time an event waits in memory before its segment is written (and its offset committed). */
        @WithName("flush-interval")
        @WithDefault("5s")
        Duration flushInterval();

        /** Page size of a JSON query without {@code limit}. */
        @WithName("query.default-limit")
        @WithDefault("100")
        int defaultLimit();

        /** Largest {@code limit} a JSON query may ask for. */
        @WithName("query.max-limit")
        @WithDefault("1000")
        int maxLimit();
    }
}
