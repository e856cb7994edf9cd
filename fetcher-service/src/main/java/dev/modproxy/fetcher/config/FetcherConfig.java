package dev.modproxy.fetcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code modproxy.*} settings the fetcher reads (environment: {@code MODPROXY_*}). The Go
 * names and defaults (GOPROXY, GOPRIVATE, ...) are the contract in DESIGN.md.
 */
@ConfigMapping(prefix = "modproxy")
public interface FetcherConfig {

    /** Where local state lives: temporary downloads, and storage when it is the filesystem. */
    @WithName("data-dir")
    @WithDefault(".modproxy")
    Path dataDir();

    /** The upstream list in GOPROXY syntax. */
    @WithDefault("https://proxy.golang.org,direct")
    String upstream();

    /** GOPRIVATE patterns: never asked of an upstream proxy. */
    @WithName("private")
    Optional<String> privatePatterns();

    /** GONOPROXY patterns; default: {@link #privatePatterns()}. */
    Optional<String> noproxy();

    /** GONOSUMDB patterns; default: {@link #privatePatterns()}. */
    Optional<String> nosumdb();

    /** GOINSECURE patterns. */
    Optional<String> insecure();

    Tls tls();

    Fetch fetch();

    Sumdb sumdb();

    /** sumdb-service, which verifies every version before it is stored and records it. */
    interface Sumdb {
        /** Base URL of sumdb-service. */
        @WithDefault("http://localhost:8082")
        String endpoint();

        /** The upstream checksum database, GOSUMDB syntax; {@code off}: versions are recorded, not verified. */
        @WithDefault("sum.golang.org")
        String upstream();

        /** {@code false} stores versions unverified and unrecorded: only for testing the fetcher alone. */
        @WithDefault("true")
        boolean enabled();
    }

    Vcs vcs();

    /** Direct fetching from version control (git). */
    interface Vcs {
        /** A netrc-format file with credentials per host ({@code machine h login u password p}). */
        Optional<Path> netrc();

        /**
         * A directory of credentials, one file per host named by the host (a Kubernetes Secret
         * mounted as a volume): {@code user:password}, or a token sent as password of the user
         * {@code x-access-token}. Read at each use; asked before {@link #netrc()}.
         */
        @WithName("credentials-dir")
        Optional<Path> credentialsDir();

        /**
         * Certificates pinned per host, for self-signed git servers: {@code host=sha256/<base64 of
         * the certificate's SHA-256>} or {@code host=/path/cert.pem}. A pinned host is trusted iff
         * its certificate is pinned; other hosts keep the CA checks.
         */
        Optional<List<String>> pins();

        /** Whether loopback addresses may be fetched from (tests, a git server on the same host). */
        @WithName("allow-loopback")
        @WithDefault("false")
        boolean allowLoopback();

        /**
         * Idle timeout of one git operation (ls-remote, fetch; a read that waits longer fails) and
         * longest wait for a repository's lock. A drip-fed answer never trips it: see {@link #deadline()}.
         */
        @WithDefault("120s")
        Duration timeout();

        /**
         * Total wall-clock time of one direct request (go-import discovery, ls-remote, git fetch,
         * lock wait together); when it passes every connection is cut and the request fails with
         * 504, so its fetch slot is free again. Below the gateway's fetch timeout
         * ({@code modproxy.fetcher.timeout-seconds}, 300) less the bulkhead's queue timeout (30s).
         */
        @WithDefault("240s")
        Duration deadline();

        /**
         * Hosts whose internal addresses (private, CGNAT, ULA, NAT64) direct fetching may reach for
         * any module; otherwise only modules matching {@code modproxy.private} may. Loopback is
         * {@link #allowLoopback()}; link-local and metadata addresses are never reached.
         */
        @WithName("allow-hosts")
        Optional<List<String>> allowHosts();

        /**
         * Total bytes of all local mirrors; beyond it the least recently used mirrors are removed
         * (they are refetched when needed).
         */
        @WithName("max-total-bytes")
        @WithDefault("10737418240")
        long maxTotalBytes();

        /**
         * Most repositories (mirrors) and most module path → repository mappings remembered; the
         * least recently used are dropped beyond it. Module paths are chosen by whoever asks.
         */
        @WithName("max-repos")
        @WithDefault("10000")
        int maxRepos();

        /** Largest local mirror of one repository, in bytes; a bigger one is refused and removed. */
        @WithName("max-repo-bytes")
        @WithDefault("2147483648")
        long maxRepoBytes();

        /** A mirror fetched this recently is not fetched again for a moving name (branch, list). */
        @WithName("min-refresh")
        @WithDefault("2s")
        Duration minRefresh();

        /** How long a module path's repository (found by go-import discovery or scheme probing) is remembered. */
        @WithName("root-ttl")
        @WithDefault("10m")
        Duration rootTtl();
    }

    interface Tls {
        /** PEM files of extra CAs trusted for upstreams (on top of the JDK's). */
        Optional<List<Path>> trust();
    }

    interface Fetch {
        /** TCP connect timeout for upstream requests. */
        @WithName("connect-timeout")
        @WithDefault("10s")
        Duration connectTimeout();

        /** Time allowed for list, @latest, .info and .mod answers, body included. */
        @WithName("metadata-timeout")
        @WithDefault("30s")
        Duration metadataTimeout();

        /** Time allowed for a whole .zip download. */
        @WithName("zip-timeout")
        @WithDefault("300s")
        Duration zipTimeout();

        /** Retries after the first attempt, for 429, 5xx and broken connections. */
        @WithDefault("2")
        int retries();

        /** First retry delay; doubles each retry. */
        @WithName("retry-delay")
        @WithDefault("200ms")
        Duration retryDelay();

        /** How long a fetched list or @latest answer counts as fresh. */
        @WithName("list-ttl")
        @WithDefault("60s")
        Duration listTtl();

        /** Failures in a row window after which an upstream host's circuit opens. */
        @WithName("breaker-volume")
        @WithDefault("20")
        int breakerVolume();

        /** How long an open circuit stays open before one trial request. */
        @WithName("breaker-delay")
        @WithDefault("30s")
        Duration breakerDelay();

        /**
         * Bulkhead: upstream and VCS fetches running at once on this fetcher. Each holds a
         * connection, a temporary zip and a worker thread; eight keep a small pod busy without
         * letting a burst of cold requests exhaust memory, threads or the upstream's patience.
         */
        @WithName("max-concurrent")
        @WithDefault("8")
        int maxConcurrent();

        /** Fetches allowed to wait for a free slot; beyond them a fetch is refused at once (503). */
        @WithName("max-queued")
        @WithDefault("32")
        int maxQueued();

        /** Longest wait for a free slot before the fetch is refused (503). */
        @WithName("queue-timeout")
        @WithDefault("30s")
        Duration queueTimeout();

        /** The {@code Retry-After} sent with a 503 for a full bulkhead. */
        @WithName("busy-retry-after")
        @WithDefault("5s")
        Duration busyRetryAfter();

        /**
         * Answer a {@code .info} miss once the upstream's {@code .info} is checked and fetch the
         * rest of the version in the background (see {@code ModuleFetcher}); false: answer only
         * once the whole version is stored.
         */
        @WithName("early-info")
        @WithDefault("true")
        boolean earlyInfo();

        /**
         * How long "does not exist" from the whole upstream chain is remembered for a module's
         * {@code list} and {@code @latest} (go get of a deep import path asks them of every
         * parent path); {@code 0} turns it off.
         */
        @WithName("negative-module-ttl")
        @WithDefault("60s")
        Duration negativeModuleTtl();

        /** The same for a query's {@code .info} (branch, commit prefix, {@code v1.2}, ...). */
        @WithName("negative-query-ttl")
        @WithDefault("60s")
        Duration negativeQueryTtl();

        /**
         * The same for a canonical version ({@code .info}, {@code .mod}, {@code .zip}): longer,
         * since a missing version appears only when someone tags it.
         */
        @WithName("negative-version-ttl")
        @WithDefault("5m")
        Duration negativeVersionTtl();
    }
}
