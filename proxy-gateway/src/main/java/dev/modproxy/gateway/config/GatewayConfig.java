package dev.modproxy.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code modproxy.*} settings this service reads (environment: {@code MODPROXY_*}).
 * Names and defaults are the contract in DESIGN.md; only the keys used here are mapped.
 */
@ConfigMapping(prefix = "modproxy")
public interface GatewayConfig {

    /** Where local state lives when storage is the local filesystem. */
    @WithName("data-dir")
    @WithDefault(".modproxy")
    Path dataDir();

    Fetcher fetcher();

    Gateway gateway();

    Sumdb sumdb();

    /** Where {@code /sumdb/*} and {@code /api/v1/sumdb/verifier-key} are forwarded. */
    interface Sumdb {
        /** Base URL of sumdb-service ({@code modproxy.sumdb.endpoint}). */
        @WithDefault("http://localhost:8082")
        URI endpoint();
    }

    /** How the gateway reaches the fetcher-service replicas. */
    interface Fetcher {

        /**
         * Base URLs of the fetcher replicas ({@code modproxy.fetcher.endpoints}, comma-separated),
         * or {@code dns+http://name:port} entries standing for every address the name resolves to
         * (see {@code FetcherEndpoints}). Every gateway must list the same set, so rendezvous
         * hashing sends a module to the same fetcher from every replica.
         */
        @WithDefault("http://localhost:8081")
        List<URI> endpoints();

        /**
         * How often {@code dns+http://name:port} entries of {@link #endpoints} are resolved again
         * ({@code modproxy.fetcher.dns-refresh}); static entries are never resolved by us.
         */
        @WithName("dns-refresh")
        @WithDefault("10s")
        Duration dnsRefresh();

        /** Time allowed to open a connection to one fetcher before trying the next. */
        @WithName("connect-timeout")
        @WithDefault("2s")
        Duration connectTimeout();

        /**
         * Seconds allowed for one fetch; a module zip built from git can take minutes. The
         * fault-tolerance {@code @Timeout} of {@code FetcherClient} is bound to this key in
         * application.properties, and the HTTP request carries the same limit.
         */
        @WithName("timeout-seconds")
        @WithDefault("300")
        long timeoutSeconds();
    }

    /** The gateway's own tuning. */
    interface Gateway {

        /**
         * How long an answer to {@code @v/list}, {@code @latest} or an {@code .info} query is
         * reused, and the {@code max-age} it is served with. These change upstream, so they are
         * never served from the immutable store.
         */
        @WithName("list-ttl")
        @WithDefault("30s")
        Duration listTtl();

        /**
         * Largest request body, in bytes, of any request but a bundle import (which may be as
         * large as {@code modproxy.bundle.max-bytes}); see {@code admin.BundleBodyLimit}.
         */
        @WithName("max-body-bytes")
        @WithDefault("1048576")
        long maxBodyBytes();

        /** Most answers the list/latest/query cache keeps; oldest go first. */
        @WithName("list-cache-entries")
        @WithDefault("10000")
        int listCacheEntries();

        /** Most bytes of answers the list/latest/query cache keeps; oldest go first. */
        @WithName("list-cache-bytes")
        @WithDefault("67108864")
        long listCacheBytes();

        /** Memory the in-process cache of small immutable artifacts (.info, .mod) may use. */
        @WithName("metadata-cache-bytes")
        @WithDefault("67108864")
        long metadataCacheBytes();

        /** Artifacts larger than this are streamed from storage every time, never cached. */
        @WithName("metadata-cache-max-item")
        @WithDefault("65535")
        int metadataCacheMaxItem();

        /** Buffer size for streaming from storage to the client; one per download in flight. */
        @WithName("stream-chunk")
        @WithDefault("65536")
        int streamChunk();

        /**
         * Addresses (CIDR blocks or single IPs) of the reverse proxies in front of the gateway,
         * e.g. the Ingress controller's pods. Only a request from one of them has its client
         * address taken from {@code X-Forwarded-For} (or {@code Forwarded}); from anywhere else
         * those headers are ignored. The client address is what rate limits, failed-login
         * throttling and the audit trail use.
         */
        @WithName("trusted-proxies")
        Optional<List<String>> trustedProxies();

        /**
         * The URL go clients use to reach this gateway ({@code modproxy.gateway.external-url}),
         * e.g. {@code https://modproxy.corp.example}: the GOPROXY value of the client settings
         * and the doctor. Unset, it is derived from each request's scheme and Host header, which
         * is right when clients reach the gateway directly; behind an Ingress or load balancer
         * that terminates TLS, set it.
         */
        @WithName("external-url")
        Optional<URI> externalUrl();
    }
}
