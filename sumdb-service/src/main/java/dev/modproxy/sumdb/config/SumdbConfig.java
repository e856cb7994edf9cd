package dev.modproxy.sumdb.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code modproxy.*} settings this service reads (environment: {@code MODPROXY_*}).
 * Names and defaults are the contract in DESIGN.md; only the keys used here are mapped.
 */
@ConfigMapping(prefix = "modproxy")
public interface SumdbConfig {

    /** Where local state lives: the generated signer key, and storage when it is the filesystem. */
    @WithName("data-dir")
    @WithDefault(".modproxy")
    Path dataDir();

    /** GOPRIVATE patterns; the default of {@link #nosumdb()}. */
    @WithName("private")
    Optional<String> privatePatterns();

    /** GONOSUMDB patterns: never checked against the upstream database; default {@link #privatePatterns()}. */
    Optional<String> nosumdb();

    Sumdb sumdb();

    Fetcher fetcher();

    interface Sumdb {
        /** Name of modproxy's own checksum database (a {@code host[/path]}). */
        @WithDefault("sum.modproxy.local")
        String name();

        /** The upstream checksum database in GOSUMDB syntax, or {@code off}. */
        @WithDefault("sum.golang.org")
        String upstream();

        /**
         * A file holding the signer key ({@code PRIVATE+KEY+name+hash+data}), e.g. a mounted
         * Kubernetes Secret; every replica must use the same one. Default: generated once into
         * {@code <data-dir>/sumdb/}.
         */
        @WithName("key-file")
        Optional<Path> keyFile();

        /** How long the upstream's {@code latest} is served from memory by the proxy. */
        @WithName("latest-ttl")
        @WithDefault("5s")
        Duration latestTtl();

        /** Time allowed for one request to the upstream database. */
        @WithName("upstream-timeout")
        @WithDefault("20s")
        Duration upstreamTimeout();
    }

    interface Fetcher {
        /**
         * Fetchers asked to fetch a version the own database is asked about but has no record
         * of (as sum.golang.org fetches on lookup). Empty: only versions already in storage
         * are recorded on lookup.
         */
        Optional<List<String>> endpoints();
    }
}
