package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.fetcher.config.FetcherConfig;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.layout.ModuleLayout;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Remembers "does not exist": when every entry of the upstream chain answered 404/410 (or
 * direct found nothing) for a lookup, the same lookup is answered 404 without asking again
 * until the marker expires. The rules:
 * <ul>
 *   <li>Kinds and their time ({@code modproxy.fetch.negative-*-ttl}, {@code 0} off):
 *       {@code module} for {@code list} and {@code @latest}; {@code query} for a query's
 *       {@code .info}; {@code version} for a canonical version, one marker for its
 *       {@code .info}, {@code .mod} and {@code .zip}.</li>
 *   <li>Kept in storage ({@link ModuleLayout#negativeMarker}, a few bytes: expiry, lookup,
 *       reason), not in memory: every fetcher sees it (after a ring change, a restart, or
 *       behind a second gateway the upstream is still asked once), and the gateway's admin API
 *       clears it without reaching a fetcher. The price is one small storage read per miss,
 *       never on a hit.</li>
 *   <li>Cleared when the module is fetched (any lookup of it succeeds upstream: all its
 *       markers go), when expired (deleted when next read), or by the admin API.</li>
 *   <li>Only upstream answers count: {@code modproxy.upstream=off}, faults, timeouts and
 *       checksum failures are never remembered.</li>
 * </ul>
 * Counted as {@code modproxy_fetcher_negative_total{kind, outcome=remembered|answered|cleared}}.
 */
@ApplicationScoped
public class NegativeCache {

    private static final Logger LOG = Logger.getLogger(NegativeCache.class);

    /** What a lookup is, for its time to live and its marker's name. */
    public record Lookup(String kind, String name, Duration ttl) {
    }

    private final BlobStore store;
    private final FetcherConfig.Fetch config;
    private final MeterRegistry registry;

    public NegativeCache(BlobStore store, FetcherConfig config, MeterRegistry registry) {
        this.store = store;
        this.config = config.fetch();
        this.registry = registry;
    }

    /** The lookup {@code what} (as {@link UpstreamChain#run} names it: list, @latest, V.info, V.mod, V). */
    Lookup lookup(ModulePath module, String what) {
        if (what.equals("list") || what.equals("@latest")) {
            return new Lookup("module", what.equals("list") ? "list" : "latest", config.negativeModuleTtl());
        }
        String v = what.endsWith(".info") || what.endsWith(".mod") ? what.substring(0, what.lastIndexOf('.')) : what;
        if (ArtifactVerifier.isVersionFor(module, v)) {
            try {
                return new Lookup("version", "v-" + ModuleVersion.of(module, v).escapedVersion(), config.negativeVersionTtl());
            } catch (dev.modproxy.gomod.GoModException e) {
                // not reached: isVersionFor checked it
            }
        }
        return new Lookup("query", "q-" + sha256(what).substring(0, 40), config.negativeQueryTtl());
    }

    /** The remembered "not found" for this lookup, if one is live. */
    Optional<FetchException> check(ModulePath module, Lookup lookup) {
        if (lookup.ttl().isZero()) {
            return Optional.empty();
        }
        BlobKey key = ModuleLayout.negativeMarker(module, lookup.name());
        try {
            Optional<Blob> found = store.get(key);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            String[] marker;
            try (Blob b = found.get()) {
                marker = new String(b.stream().readNBytes(4096), StandardCharsets.UTF_8).split("\n", 2);
            }
            Instant expires = Instant.ofEpochMilli(Long.parseLong(marker[0].strip()));
            if (Instant.now().isAfter(expires)) {
                store.delete(key);
                return Optional.empty();
            }
            count(lookup.kind(), "answered");
            String reason = marker.length > 1 ? marker[1].strip() : module.value() + ": not found";
            return Optional.of(new FetchException(Kind.NOT_FOUND, reason + " (remembered until " + expires
                    + ", modproxy.fetch.negative-" + lookup.kind() + "-ttl)", "negative-cache", null));
        } catch (IOException | RuntimeException e) {
            // A marker that cannot be read is no marker: the upstream is asked, as without one.
            LOG.debugf("negative cache marker %s unreadable: %s", key, e.getMessage());
            return Optional.empty();
        }
    }

    /** Remembers that the whole chain answered "not found" for this lookup. */
    void remember(ModulePath module, Lookup lookup, FetchException notFound) {
        if (lookup.ttl().isZero()) {
            return;
        }
        String reason = notFound.getMessage().replace('\n', ' ');
        byte[] body = (Instant.now().plus(lookup.ttl()).toEpochMilli() + "\n" + reason + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            store.put(ModuleLayout.negativeMarker(module, lookup.name()), new ByteArrayInputStream(body), body.length,
                    WriteMode.REPLACE);
            count(lookup.kind(), "remembered");
        } catch (StorageException | RuntimeException e) {
            LOG.debugf("cannot remember that %s %s is missing: %s", module, lookup.name(), e.getMessage());
        }
    }

    /** Forgets every marker of the module (it was fetched). */
    void clear(ModulePath module) {
        try {
            for (BlobKey k : store.list(ModuleLayout.negativePrefix(module))) {
                store.delete(k);
                count("any", "cleared");
            }
        } catch (StorageException | RuntimeException e) {
            LOG.debugf("cannot clear the negative cache of %s: %s", module, e.getMessage());
        }
    }

    private void count(String kind, String outcome) {
        Counter.builder("modproxy_fetcher_negative").description("Remembered \"not found\" answers by kind and outcome")
                .tags("kind", kind, "outcome", outcome).register(registry).increment();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
