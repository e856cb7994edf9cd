package dev.modproxy.gateway.qos;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/**
 * Rate limits and request limits of the gateway ({@code modproxy.qos.*}, env {@code MODPROXY_QOS_*}).
 * Every bucket is per replica: N gateways behind a load balancer that is not sticky let a client
 * through at up to N times these rates (see README, "Rate limits with several replicas").
 */
@ConfigMapping(prefix = "modproxy.qos")
public interface QosConfig {

    /**
     * Sustained requests per second per client (its identity when authenticated, else its IP).
     * 100 is far above what one {@code go} command asks (it downloads with at most ~10
     * connections and reads mostly cached artifacts) and well below what hurts a replica.
     * 0 turns the limit off.
     */
    @WithName("per-client-rps")
    @WithDefault("100")
    double perClientRps();

    /** Requests a client may make at once above its rate, e.g. {@code go mod download} starting. */
    @WithName("per-client-burst")
    @WithDefault("200")
    int perClientBurst();

    /**
     * Sustained fetcher calls (misses: list, latest, queries and artifacts not in storage) per
     * module per second. Identical misses already in flight on this replica are not charged
     * again. 0 turns the limit off.
     */
    @WithName("per-module-cold-rps")
    @WithDefault("5")
    double perModuleColdRps();

    /**
     * Misses of one module allowed at once above its rate: a {@code go mod tidy} or a tool
     * resolving many queries of one module (branches, {@code v1.2}, ...) starts with dozens.
     */
    @WithName("per-module-cold-burst")
    @WithDefault("50")
    int perModuleColdBurst();

    /**
     * Most buckets kept per limit. Buckets that refilled are forgotten (they are the same as a
     * new one), so memory stays bounded whatever the number of clients.
     */
    @WithName("max-buckets")
    @WithDefault("100000")
    int maxBuckets();

    /** Longest query string accepted (the GOPROXY protocol has none); longer ones get 414. */
    @WithName("max-query-length")
    @WithDefault("1024")
    int maxQueryLength();

    /** Longest raw request path accepted before parsing; longer ones get 414. */
    @WithName("max-path-length")
    @WithDefault("4096")
    int maxPathLength();

    /** How often idle buckets are swept. */
    @WithName("sweep-interval")
    @WithDefault("30s")
    Duration sweepInterval();
}
