package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.fetcher.config.FetcherConfig;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.catalog.Catalog;
import dev.modproxy.storage.layout.ModuleLayout;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Brings module versions into storage, each exactly once, checked.
 *
 * <p>Write order is the all-or-nothing protocol the gateway relies on (see {@link ModuleLayout}):
 * {@code .mod}, then {@code .zip}, then {@code .info} last. A version whose {@code .info} is
 * stored is complete; a crash before that leaves at most a checked {@code .mod} or {@code .zip}
 * that no reader treats as a complete version, and the next fetch finishes the job. Every write
 * is immutable: what was stored first stays.
 *
 * <p>A {@code .mod}-only request (the {@code go} command loading the module graph) fetches only
 * the {@code .mod}; everything else fetches the whole version, so a stored {@code .info} always
 * has its zip. One version's three files come from the same upstream.
 *
 * <p>Early {@code .info} ({@code modproxy.fetch.early-info}, on by default): the {@code go}
 * command resolves the versions it needs one at a time, by their {@code .info}, and only then
 * downloads their zips in parallel. Answering a {@code .info} miss only once the whole version
 * is fetched, checked, recorded and durably stored made that serial walk cost a whole fetch per
 * module (bench/: a cold fill took 4.6× as long as {@code go} straight from the upstream). So a
 * {@code .info} miss is answered as soon as the upstream's {@code .info} is checked, and the
 * whole version is fetched in the background ({@link BackgroundFetches}). The gateway serves
 * that answer uncached; a {@code .mod} asked while the background fetch runs is answered from
 * the upstream, checked as a {@code .mod}-only fetch is, and not stored; the {@code .zip} waits
 * for the background fetch and gets its result, a checksum mismatch included. Nothing is
 * stored before it is checked, as before. The gateway asks for the {@code .info} with its
 * {@code .mod} carried along ({@link #info(ProxyRequest, boolean)}): the {@code .mod} is fetched
 * from the same upstream and checked right after the {@code .info}, the background fetch starts
 * with both, and the {@code .mod} request {@code go} sends next is answered by the gateway
 * itself. A {@code .mod} that fails its checks is simply not carried; its own request then
 * gets the failure.
 */
@ApplicationScoped
public class ModuleFetcher {

    private static final Logger LOG = Logger.getLogger(ModuleFetcher.class);

    private final BlobStore store;
    private final UpstreamChain chain;
    private final ArtifactVerifier verify;
    private final ChecksumGate checksums;
    private final Path tmpDir;
    private final Catalog catalog;
    private final SingleFlight<String> flights = new SingleFlight<>();
    private final SingleFlight<Whole> wholeFlights = new SingleFlight<>();
    private final boolean earlyInfo;
    private final BackgroundFetches background;

    public ModuleFetcher(BlobStore store, UpstreamChain chain, ArtifactVerifier verify, FetcherConfig config,
                         ChecksumGate checksums) throws IOException {
        this.store = store;
        this.chain = chain;
        this.verify = verify;
        this.checksums = checksums;
        this.catalog = new Catalog(store);
        this.tmpDir = Files.createDirectories(config.dataDir().resolve("tmp").toAbsolutePath());
        this.earlyInfo = config.fetch().earlyInfo();
        this.background = new BackgroundFetches(Math.max(1, config.fetch().maxConcurrent()),
                Math.max(1, config.fetch().maxQueued()));
    }

    @jakarta.annotation.PreDestroy
    void close() {
        background.close();
    }

    /** The stored (or now fetched) {@code .info} for a canonical version or a query. */
    public Fetched info(ProxyRequest request) throws FetchException {
        return info(request, false);
    }

    /**
     * {@link #info(ProxyRequest)}; with {@code withMod}, an early answer also carries the
     * version's {@code .mod}, checked as a {@code .mod} request's is, when it can be had (see
     * {@link Fetched#mod}).
     */
    public Fetched info(ProxyRequest request, boolean withMod) throws FetchException {
        ModulePath module = request.module();
        if (!request.isQuery()) {
            ModuleVersion mv = moduleVersion(request);
            BlobKey infoKey = ModuleLayout.artifact(mv, Type.INFO);
            if (earlyInfo && !exists(infoKey) && background.await(mv) == null && !exists(infoKey)) {
                var got = chain.run(module, mv.version() + ".info", src -> {
                    byte[] info = src.info(module, mv.version());
                    verify.info(module, mv.version(), info, src.name());
                    return new InfoAndMod(info, withMod ? checkedModOrNull(mv, src) : null);
                });
                byte[] mod = got.value().mod();
                background.start(mv, checkedMod -> {
                    if (mod != null) {
                        checkedMod.checked(mod, got.upstream());
                    }
                    Whole w = ensureComplete(mv, got.value().info(), mod, got.upstream(), checkedMod);
                    return new BackgroundFetches.Done(w.upstream(), w.catalog());
                });
                return new Fetched(got.value().info(), got.upstream(), mod);
            }
            String source = ensureComplete(mv);
            return new Fetched(read(infoKey), source);
        }
        // A query (branch, v1.2, ...) only the upstream can resolve; the answer is never stored
        // under the query, only the version it resolved to (fetched whole before answering).
        var resolved = chain.run(module, request.version() + ".info", src -> queryInfo(src, module, request.version()));
        ModuleVersion mv = moduleVersion(module, resolved.value().version());
        ensureComplete(mv);
        // The query's own answer, not the stored version's: its Origin says how the query was
        // resolved (a branch's Ref), which go prints and the version's .info cannot say.
        return new Fetched(resolved.value().json(), resolved.upstream());
    }

    /**
     * A query's {@code .info} from one source. A complete v2+ version asked of a path without a
     * major suffix ({@code github.com/docker/docker@v20.10.0}, which go sends as is) is answered
     * by proxy.golang.org and by go direct with the {@code +incompatible} version; an upstream
     * that serves only files (a GOPROXY tree, {@code file://}) has none under that name, so on
     * its "not found" the {@code +incompatible} name is asked of the same source.
     */
    private ArtifactVerifier.Info queryInfo(ModuleSource src, ModulePath module, String query) throws FetchException {
        try {
            return verify.info(module, query, src.info(module, query), src.name());
        } catch (FetchException e) {
            String incompatible = query + "+incompatible";
            if (!e.kind().isNotFound() || !query.equals(dev.modproxy.gomod.module.ModulePaths.canonicalVersion(query))
                    || !ArtifactVerifier.isVersionFor(module, incompatible)) {
                throw e;
            }
            try {
                return verify.info(module, incompatible, src.info(module, incompatible), src.name());
            } catch (FetchException again) {
                throw again.kind().isNotFound() ? e : again;
            }
        }
    }

    private record InfoAndMod(byte[] info, byte[] mod) {
    }

    /**
     * The version's {@code .mod} from the stored copy or from {@code src}, checked as
     * {@link #mod} checks it; null when it cannot be had now (the {@code .mod} request that
     * follows then gets the answer, or the failure, the usual way).
     */
    private byte[] checkedModOrNull(ModuleVersion mv, ModuleSource src) {
        try {
            Optional<byte[]> stored = tryRead(ModuleLayout.artifact(mv, Type.MOD));
            if (stored.isPresent()) {
                return stored.get();
            }
            byte[] body = src.mod(mv);
            verify.mod(mv, body, src.name());
            checksums.checkMod(mv, body, src.name());
            return body;
        } catch (FetchException | RuntimeException e) {
            LOG.debugf("no .mod alongside the early .info of %s: %s", mv, e.getMessage());
            return null;
        }
    }

    /** The stored (or now fetched) {@code .mod}; fetches nothing else. */
    public Fetched mod(ModuleVersion mv) throws FetchException {
        BlobKey key = ModuleLayout.artifact(mv, Type.MOD);
        Optional<byte[]> stored = tryRead(key);
        if (stored.isPresent()) {
            return new Fetched(stored.get(), "storage");
        }
        if (background.running(mv)) {
            // The whole version is being fetched, checked and stored: answer the .mod now (the
            // go command reads it right after the .info) without storing it, as the .info was.
            // The background fetch gets the .mod first thing: once it has started, its checked
            // copy is the answer, instead of asking the upstream a second time.
            BackgroundFetches.CheckedMod early = background.awaitMod(mv);
            if (early != null) {
                checksums.checkMod(mv, early.body(), early.upstream()); // verified before served, even alone
                return new Fetched(early.body(), early.upstream());
            }
            stored = tryRead(key);
            if (stored.isPresent()) {
                return new Fetched(stored.get(), "storage");
            }
        }
        if (background.running(mv)) {
            var got = chain.run(mv.path(), mv.version() + ".mod", src -> {
                byte[] body = src.mod(mv);
                verify.mod(mv, body, src.name());
                checksums.checkMod(mv, body, src.name()); // verified before served, even alone
                return body;
            });
            return new Fetched(got.value(), got.upstream());
        }
        String source = flights.run("mod " + mv, () -> {
            var got = chain.run(mv.path(), mv.version() + ".mod", src -> {
                byte[] body = src.mod(mv);
                verify.mod(mv, body, src.name());
                checksums.checkMod(mv, body, src.name()); // verified before served, even alone
                return body;
            });
            put(key, got.value());
            return got.upstream();
        });
        return new Fetched(read(key), source);
    }

    /** Makes sure the whole version is stored; returns where it came from. */
    public String ensureComplete(ModuleVersion mv) throws FetchException {
        String fetchedBy = background.await(mv);
        if (fetchedBy != null) {
            return fetchedBy;
        }
        Whole w = ensureComplete(mv, null, null, null, BackgroundFetches.ModSink.NONE);
        w.catalog().run(); // in the foreground the catalog is written before the answer, as before
        return w.upstream();
    }

    /**
     * A version made complete: where from, and its catalog record, still to be written. The
     * catalog is written after the version is stored and outside the fetch slot and the single
     * flight, so the requests waiting for the version do not also wait for the catalog's
     * durable writes (three blobs in new directories, about 20 ms here); it runs once, whoever
     * of the waiters calls it.
     */
    private record Whole(String upstream, Runnable catalog) {
        static final Runnable NOTHING = () -> { };

        static Whole stored() {
            return new Whole("storage", NOTHING);
        }
    }

    /**
     * {@code knownInfo}, {@code knownMod}: a .info and a .mod already fetched and checked from
     * {@code knownUpstream}, or null.
     */
    private Whole ensureComplete(ModuleVersion mv, byte[] knownInfo, byte[] knownMod, String knownUpstream,
                                 BackgroundFetches.ModSink checkedMod) throws FetchException {
        BlobKey infoKey = ModuleLayout.artifact(mv, Type.INFO);
        if (exists(infoKey)) {
            return Whole.stored();
        }
        return wholeFlights.run("full " + mv, () -> {
            if (exists(infoKey)) {
                return Whole.stored();
            }
            var got = chain.run(mv.path(), mv.version(), src -> {
                boolean same = src.name().equals(knownUpstream);
                return fetchWhole(mv, src, same ? knownInfo : null, same ? knownMod : null, checkedMod);
            });
            return got.value();
        });
    }

    private Whole fetchWhole(ModuleVersion mv, ModuleSource src, byte[] knownInfo, byte[] knownMod,
                             BackgroundFetches.ModSink checkedMod) throws FetchException {
        String base = src.name();
        byte[] info = knownInfo != null ? knownInfo : src.info(mv.path(), mv.version());
        verify.info(mv.path(), mv.version(), info, base);

        // A stored .mod (graph loading, a bundle import) is not taken on trust: the version is
        // completed only around the .mod this fetch gets and checks (then verified with the zip
        // against the checksum database below), and a stored one must be byte for byte that.
        BlobKey modKey = ModuleLayout.artifact(mv, Type.MOD);
        Optional<byte[]> storedMod = tryRead(modKey);
        byte[] mod;
        if (knownMod != null) {
            mod = knownMod; // checked when it was fetched, and handed to the sink then
        } else {
            mod = src.mod(mv);
            verify.mod(mv, mod, base);
            if (storedMod.isEmpty()) {
                checkedMod.checked(mod, base);
            }
        }
        if (storedMod.isPresent() && !Arrays.equals(storedMod.get(), mod)) {
            throw new FetchException(Kind.UPSTREAM_FAILED, mv + ": the stored .mod (" + goModHash(storedMod.get())
                    + ") differs from the one " + base + " serves (" + goModHash(mod)
                    + "); stored files never change, so the version is not completed", base, null);
        }

        Path zip = tempFile(mv);
        try {
            long size = src.zip(mv, zip);
            verify.zip(mv, zip, mod, base);
            // Verified upstream and recorded, or nothing is stored.
            ChecksumGate.Hashes hashes = checksums.check(mv, zip, mod, base);
            if (storedMod.isEmpty()) {
                put(modKey, mod);
            }
            try (InputStream in = Files.newInputStream(zip)) {
                store.put(ModuleLayout.artifact(mv, Type.ZIP), in, size, WriteMode.IMMUTABLE);
            }
            put(ModuleLayout.artifact(mv, Type.INFO), info);
            LOG.infof("stored %s (%d bytes zip) from %s", mv, size, base);
            java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
            return new Whole(base, () -> {
                if (once.compareAndSet(false, true)) {
                    recordInCatalog(mv, base, hashes);
                }
            });
        } catch (StorageException e) {
            throw storageFailed(e);
        } catch (IOException e) {
            throw new FetchException(Kind.UNAVAILABLE, mv + ": cannot read temporary zip: " + e.getMessage(), base, e);
        } finally {
            try {
                Files.deleteIfExists(zip);
            } catch (IOException e) {
                LOG.warnf("cannot delete temporary file %s: %s", zip, e.getMessage());
            }
        }
    }

    /**
     * Provenance and the index feed (storage.catalog). The version is stored and served whatever
     * happens here: a missing record is found again by the catalog's rebuild.
     */
    private void recordInCatalog(ModuleVersion mv, String base, ChecksumGate.Hashes hashes) {
        try {
            catalog.record(mv, base, hashes.zipHash(), hashes.modHash());
        } catch (StorageException | RuntimeException e) {
            LOG.warnf("stored %s but could not record it in the catalog (rebuild will): %s", mv, e.getMessage());
        }
    }

    private static String goModHash(byte[] mod) {
        try {
            return dev.modproxy.gomod.dirhash.DirHash.hashGoMod(mod);
        } catch (dev.modproxy.gomod.GoModException e) {
            return "unhashable";
        }
    }

    private Path tempFile(ModuleVersion mv) throws FetchException {
        try {
            return Files.createTempFile(tmpDir, "fetch-", ".zip");
        } catch (IOException e) {
            throw new FetchException(Kind.UNAVAILABLE, mv + ": no room for a temporary zip: " + e.getMessage());
        }
    }

    private void put(BlobKey key, byte[] data) throws FetchException {
        try {
            store.put(key, new ByteArrayInputStream(data), data.length, WriteMode.IMMUTABLE);
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    private boolean exists(BlobKey key) throws FetchException {
        try {
            return store.stat(key).isPresent();
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    byte[] read(BlobKey key) throws FetchException {
        return tryRead(key).orElseThrow(() -> FetchException.storage(
                "storage lost " + key + " right after it was written", null));
    }

    Optional<byte[]> tryRead(BlobKey key) throws FetchException {
        try {
            Optional<Blob> blob = store.get(key);
            if (blob.isEmpty()) {
                return Optional.empty();
            }
            try (Blob b = blob.get()) {
                return Optional.of(b.stream().readAllBytes());
            }
        } catch (IOException e) {
            throw storageFailed(e);
        }
    }

    static FetchException storageFailed(IOException e) {
        return FetchException.storage("storage unavailable: " + e.getMessage(), e);
    }

    private static ModuleVersion moduleVersion(ProxyRequest r) throws FetchException {
        return moduleVersion(r.module(), r.version());
    }

    private static ModuleVersion moduleVersion(ModulePath module, String version) throws FetchException {
        try {
            return ModuleVersion.of(module, version);
        } catch (GoModException e) {
            throw new FetchException(Kind.BAD_REQUEST, e.getMessage());
        }
    }

    /**
     * Bytes and where they came from ("storage", an upstream URL, or "direct"); for an early
     * {@code .info} asked with its {@code .mod}, that {@code .mod} (checked, not yet stored), else null.
     */
    public record Fetched(byte[] body, String source, byte[] mod) {
        public Fetched(byte[] body, String source) {
            this(body, source, null);
        }
    }
}
