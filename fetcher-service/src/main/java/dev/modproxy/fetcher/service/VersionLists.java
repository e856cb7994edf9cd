package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.fetcher.config.FetcherConfig;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.gomod.semver.PseudoVersion;
import dev.modproxy.gomod.semver.Semver;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobInfo;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.layout.ModuleLayout;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Answers {@code list} and {@code @latest}, the two answers that change upstream.
 *
 * <p>Freshness: the last good upstream answer is kept in storage ({@link ModuleLayout#listCache})
 * and counts as fresh for {@code modproxy.fetch.list-ttl}. A stale answer is served at once
 * while one background refresh runs (stale-while-revalidate). With no answer kept, the upstream
 * is asked while the client waits. When every upstream fails, the last good answer is served.
 *
 * <p>Content: the upstream list merged with the versions already stored here (tagged versions
 * only, as proxy.golang.org lists them; the {@code go} command ignores pseudo-versions in lists
 * anyway), so a version cached here stays listed even if the upstream forgets it.
 * {@code @latest} falls back to the highest stored version (release over pre-release over
 * pseudo-version, the {@code go} command's order of preference) when no upstream answers.
 */
@ApplicationScoped
public class VersionLists {

    private static final Logger LOG = Logger.getLogger(VersionLists.class);

    private final BlobStore store;
    private final UpstreamChain chain;
    private final ArtifactVerifier verify;
    private final ModuleFetcher fetcher;
    private final ManagedExecutor background;
    private final Duration ttl;
    private final SingleFlight<byte[]> flights = new SingleFlight<>();

    public VersionLists(BlobStore store, UpstreamChain chain, ArtifactVerifier verify,
                        ModuleFetcher fetcher, ManagedExecutor background, FetcherConfig config) {
        this.store = store;
        this.chain = chain;
        this.verify = verify;
        this.fetcher = fetcher;
        this.background = background;
        this.ttl = config.fetch().listTtl();
    }

    public ModuleFetcher.Fetched list(ModulePath module) throws FetchException {
        var upstreamList = cachedOrFetched(module, ModuleLayout.listCache(module), "list", src -> src.list(module));
        TreeSet<String> versions = new TreeSet<>(Semver.BY_VERSION);
        if (upstreamList.isPresent()) {
            for (String line : new String(upstreamList.get().body(), StandardCharsets.UTF_8).split("\n")) {
                String v = line.strip().split("\\s+", 2)[0];
                if (Semver.isValid(v)) {
                    versions.add(v);
                }
            }
        }
        List<String> stored = storedVersions(module);
        stored.stream().filter(v -> !PseudoVersion.isPseudoVersion(v)).forEach(versions::add);
        StringBuilder out = new StringBuilder();
        versions.forEach(v -> out.append(v).append('\n'));
        return new ModuleFetcher.Fetched(out.toString().getBytes(StandardCharsets.UTF_8),
                upstreamList.map(ModuleFetcher.Fetched::source).orElse("storage"));
    }

    public ModuleFetcher.Fetched latest(ModulePath module) throws FetchException {
        var answer = cachedOrFetched(module, ModuleLayout.latestCache(module), "@latest", src -> {
            byte[] body = src.latest(module);
            verify.info(module, "latest", body, src.name());
            return body;
        });
        if (answer.isPresent()) {
            return answer.get();
        }
        List<String> stored = storedVersions(module);
        Optional<String> best = stored.stream().max(Comparator.comparing((String v) -> rank(v))
                .thenComparing(Semver.BY_VERSION));
        if (best.isEmpty()) {
            throw notFound(module, "@latest");
        }
        ModuleVersion mv;
        try {
            mv = ModuleVersion.of(module, best.get());
        } catch (dev.modproxy.gomod.GoModException e) {
            throw new FetchException(Kind.UNAVAILABLE, "storage holds an invalid version " + best.get() + " of " + module);
        }
        return new ModuleFetcher.Fetched(fetcher.read(ModuleLayout.artifact(mv, Type.INFO)), "storage");
    }

    /** 2 for releases, 1 for pre-releases, 0 for pseudo-versions. */
    private static int rank(String v) {
        if (PseudoVersion.isPseudoVersion(v)) {
            return 0;
        }
        return Semver.prerelease(v).isEmpty() ? 2 : 1;
    }

    /**
     * The upstream's answer: kept and fresh, kept and stale (refreshed in the background), or
     * fetched now. Empty when no upstream answers but versions are stored (the caller answers
     * from those); the upstream's own error when nothing is stored either.
     */
    private Optional<ModuleFetcher.Fetched> cachedOrFetched(ModulePath module, BlobKey key, String what,
                                                            UpstreamChain.Attempt<byte[]> attempt) throws FetchException {
        Optional<Kept> kept = readKept(key);
        if (kept.isPresent()) {
            if (kept.get().age().compareTo(ttl) > 0) {
                background.execute(() -> {
                    try {
                        refresh(module, key, what, attempt);
                    } catch (FetchException e) {
                        LOG.debugf("background refresh of %s %s failed: %s", module, what, e.getMessage());
                    }
                });
            }
            return Optional.of(new ModuleFetcher.Fetched(kept.get().body(), "storage"));
        }
        try {
            return Optional.of(new ModuleFetcher.Fetched(refresh(module, key, what, attempt), "upstream"));
        } catch (FetchException e) {
            if (!storedVersions(module).isEmpty()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private byte[] refresh(ModulePath module, BlobKey key, String what, UpstreamChain.Attempt<byte[]> attempt)
            throws FetchException {
        return flights.run(key.value(), () -> {
            byte[] body = chain.run(module, what, attempt).value();
            try {
                store.put(key, new ByteArrayInputStream(body), body.length, WriteMode.REPLACE);
            } catch (StorageException e) {
                LOG.warnf("cannot keep %s of %s: %s", what, module, e.getMessage());
            }
            return body;
        });
    }

    private record Kept(byte[] body, Duration age) {
    }

    private Optional<Kept> readKept(BlobKey key) throws FetchException {
        try {
            Optional<Blob> blob = store.get(key);
            if (blob.isEmpty()) {
                return Optional.empty();
            }
            try (Blob b = blob.get()) {
                BlobInfo info = b.info();
                return Optional.of(new Kept(b.stream().readAllBytes(), Duration.between(info.lastModified(), Instant.now())));
            }
        } catch (IOException e) {
            throw ModuleFetcher.storageFailed(e);
        }
    }

    /** Versions whose {@code .info} is stored: complete versions only. */
    List<String> storedVersions(ModulePath module) throws FetchException {
        String prefix = ModuleLayout.versionsPrefix(module);
        List<String> versions = new ArrayList<>();
        try {
            for (BlobKey k : store.list(prefix)) {
                String name = k.value().substring(prefix.length());
                if (name.endsWith(".info") && name.indexOf('/') < 0) {
                    try {
                        versions.add(dev.modproxy.gomod.module.Escaping.unescapeVersion(
                                name.substring(0, name.length() - ".info".length())));
                    } catch (dev.modproxy.gomod.GoModException e) {
                        LOG.warnf("ignoring unexpected key %s", k);
                    }
                }
            }
        } catch (StorageException e) {
            throw ModuleFetcher.storageFailed(e);
        }
        return versions;
    }

    private static FetchException notFound(ModulePath module, String what) {
        return new FetchException(Kind.NOT_FOUND, "not found: " + module.value() + " " + what
                + ": no upstream has it and none is stored");
    }
}
