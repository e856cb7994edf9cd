package dev.modproxy.gateway.service;

import dev.modproxy.gateway.client.FetcherAnswer;
import dev.modproxy.gateway.client.FetcherClient;
import dev.modproxy.gateway.config.GatewayConfig;
import dev.modproxy.gateway.qos.ColdFetchLimit;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobInfo;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.layout.ModuleLayout;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Answers GOPROXY requests: from memory, from storage, or by asking a fetcher.
 *
 * <p>The rules of a hit (see {@link ModuleLayout}): the fetcher writes {@code .info} last, so a
 * version's {@code .info} and {@code .zip} are served only once its {@code .info} exists; a
 * {@code .mod} may be stored alone (the go command loads module graphs from .mod files only)
 * and is a hit on its own. {@code list}, {@code @latest} and {@code .info} queries change
 * upstream and are never read from the immutable store; their answers are reused for
 * {@code modproxy.gateway.list-ttl}. Everything else is fetched, then served from storage like
 * a hit, so a client sees the same bytes and validators whether or not it caused the fetch.
 *
 * <p>A {@code .mod} the fetcher carried along with an early {@code .info} (the version is being
 * fetched in the background; see the fetcher's FetchResource) is kept for
 * {@link #CARRIED_MOD_NANOS} and served, uncached by clients, to the {@code .mod} request the
 * {@code go} command sends next, unless storage has the version's {@code .mod} by then: one
 * round trip to the fetcher fewer per module in a cold fill.
 *
 * <p>Methods named {@code cached} never block; the others do storage or network I/O and are
 * called on worker threads. Every failure is a {@link ProxyException}; storage failures become
 * 503 "storage unavailable", never a 404, so an outage is not taken for a missing module.
 */
@ApplicationScoped
public class ArtifactService {

    private final BlobStore store;
    private final StoredOnly storedOnly;
    private final FetcherClient fetcher;
    private final ArtifactCache artifacts;
    private final AnswerCache answers;
    private final AnswerCache carriedMods =
            new AnswerCache(CARRIED_MOD_NANOS, 1024, 16 << 20, System::nanoTime);
    private final int maxCachedItem;
    private final String answerCacheControl;
    private final long fetchTimeoutSeconds;
    private final ColdFetchLimit coldFetches;
    private final Counter memoryHits;
    private final Counter storageHits;
    private final Counter misses;
    private final Counter storageErrors;

    /** How long a carried {@code .mod} waits for its request: {@code go} asks within milliseconds. */
    static final long CARRIED_MOD_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Inject
    public ArtifactService(BlobStore store, FetcherClient fetcher, GatewayConfig config, ColdFetchLimit coldFetches,
                           MeterRegistry registry) {
        this.store = store;
        this.storedOnly = new StoredOnly(store);
        // modproxy_gateway_cache_total{outcome}: hit ratio = (memory + storage) / all
        this.memoryHits = cacheCounter(registry, "memory");
        this.storageHits = cacheCounter(registry, "storage");
        this.misses = cacheCounter(registry, "miss");
        this.storageErrors = Counter.builder("modproxy_storage_errors")
                .description("Storage operations that failed (the request got a 503)")
                .tag("service", "gateway").register(registry);
        this.fetcher = fetcher;
        this.coldFetches = coldFetches;
        GatewayConfig.Gateway g = config.gateway();
        this.artifacts = new ArtifactCache(g.metadataCacheBytes());
        this.answers = new AnswerCache(g.listTtl().toNanos(), g.listCacheEntries(), g.listCacheBytes(), System::nanoTime);
        this.maxCachedItem = g.metadataCacheMaxItem();
        this.answerCacheControl = "public, max-age=" + g.listTtl().toSeconds();
        this.fetchTimeoutSeconds = config.fetcher().timeoutSeconds();
    }

    private static Counter cacheCounter(MeterRegistry registry, String outcome) {
        return Counter.builder("modproxy_gateway_cache")
                .description("GOPROXY answers by where they came from: memory, storage, or a fetcher (miss)")
                .tag("outcome", outcome).register(registry);
    }

    /** The request header proxy.golang.org honours: answer only from what is stored. */
    public static final String DISABLE_MODULE_FETCH = StoredOnly.HEADER;

    /** Whether a {@value #DISABLE_MODULE_FETCH} header value turns fetching off. */
    public static boolean fetchDisabled(String headerValue) {
        return StoredOnly.requested(headerValue);
    }

    /** Counts an answer the route found in memory itself ({@link #cached}, on the event loop). */
    public void countMemoryHit() {
        memoryHits.increment();
    }

    /** The answer if it is in memory; never blocks, so it is safe on the event loop. */
    public Optional<Artifact> cached(ProxyRequest request) {
        if (isAnswer(request)) {
            return Optional.ofNullable(answers.get(request.toString()));
        }
        return Optional.ofNullable(artifacts.get(request.toString()));
    }

    /** {@link #cached(ProxyRequest)} with the key and kind computed once ({@link ParsedRequests}). */
    public Optional<Artifact> cached(ParsedRequests.Parsed parsed) {
        return Optional.ofNullable(parsed.answer() ? answers.get(parsed.key()) : artifacts.get(parsed.key()));
    }

    /** The answer to {@code request}, from storage or fetched. Blocks. */
    public Artifact resolve(ProxyRequest request) throws ProxyException {
        return resolve(request, false);
    }

    /**
     * The answer to {@code request}; with {@code fetchDisabled} (the request header
     * {@code Disable-Module-Fetch: true}) only from memory or storage, never fetched
     * ({@link StoredOnly}). Blocks.
     */
    public Artifact resolve(ProxyRequest request, boolean fetchDisabled) throws ProxyException {
        Optional<Artifact> cached = cached(request);
        if (cached.isPresent()) {
            memoryHits.increment();
            return cached.get();
        }
        if (fetchDisabled && isAnswer(request)) {
            Artifact a = storedOnly.answer(request);
            storageHits.increment();
            return a;
        }
        if (isAnswer(request)) {
            misses.increment();
            return answer(request);
        }
        ModuleVersion mv = moduleVersion(request);
        Optional<Artifact> hit = stored(request, mv);
        if (hit.isPresent()) {
            storageHits.increment();
            return hit.get();
        }
        if (request.type() == Type.MOD) {
            Artifact.InMemory carried = carriedMods.get(request.toString());
            if (carried != null) {
                memoryHits.increment();
                return carried;
            }
        }
        if (fetchDisabled) {
            throw StoredOnly.miss(request);
        }
        misses.increment();
        FetcherAnswer fetched = fetch(request);
        if (fetched.mod() != null && request.type() == Type.INFO) {
            carriedMods.put(new ProxyRequest(mv.path(), Type.MOD, mv.version()).toString(),
                    new Artifact.InMemory(fetched.mod(), Artifact.TEXT, null, null, "no-cache", false));
        }
        hit = stored(request, mv);
        if (hit.isPresent()) {
            return hit.get();
        }
        if (request.type() == Type.ZIP || fetched.status() != 200) {
            throw new ProxyException(Kind.BAD_GATEWAY, "fetcher " + fetched.endpoint() + " answered " + request
                    + " but storage has no " + ModuleLayout.artifact(mv, request.type()));
        }
        // Answered but not (yet) visible in storage: serve the fetcher's bytes, claiming nothing.
        return new Artifact.InMemory(fetched.body(), contentType(request.type()), null, null, "no-cache", false);
    }

    /** Streams {@code length} bytes of a stored artifact from {@code offset}. Blocks. */
    public InputStream open(Artifact.Stored artifact, long offset, long length) throws ProxyException {
        BlobKey key = artifact.info().key();
        try {
            Optional<Blob> blob = offset == 0 && length == artifact.size()
                    ? store.get(key) : store.get(key, offset, length);
            return blob.orElseThrow(() -> new ProxyException(Kind.UNAVAILABLE,
                    "storage unavailable: " + key + " disappeared")).stream();
        } catch (StorageException e) {
            throw storageUnavailable(e);
        }
    }

    private Artifact answer(ProxyRequest request) throws ProxyException {
        FetcherAnswer fetched = fetch(request);
        if (fetched.status() != 200) {
            throw new ProxyException(Kind.BAD_GATEWAY, "fetcher " + fetched.endpoint() + " answered "
                    + fetched.status() + " without a body for " + request);
        }
        Artifact.InMemory answer = new Artifact.InMemory(fetched.body(), contentType(request.type()), null, null,
                answerCacheControl, false);
        answers.put(request.toString(), answer);
        return answer;
    }

    /** A stored artifact, if the version is complete (or, for .mod, the .mod is there). */
    private Optional<Artifact> stored(ProxyRequest request, ModuleVersion mv) throws ProxyException {
        BlobKey info = ModuleLayout.artifact(mv, Type.INFO);
        try {
            if (request.type() == Type.ZIP && artifacts.get(infoRequest(mv)) == null && store.stat(info).isEmpty()) {
                return Optional.empty();
            }
            Optional<Artifact> hit = read(ModuleLayout.artifact(mv, request.type()), contentType(request.type()));
            hit.ifPresent(a -> artifacts.put(request.toString(), a));
            return hit;
        } catch (StorageException e) {
            throw storageUnavailable(e);
        } catch (IOException e) {
            throw storageUnavailable(new StorageException(e.getMessage(), e));
        }
    }

    /** Small blobs are read whole (one round trip, and then cached); large ones are left to stream. */
    private Optional<Artifact> read(BlobKey key, String contentType) throws IOException {
        Optional<Blob> found = store.get(key);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        try (Blob blob = found.get()) {
            BlobInfo info = blob.info();
            String etag = Artifact.quoteEtag(info.etag());
            if (info.size() > maxCachedItem) {
                return Optional.of(new Artifact.Stored(info, contentType, etag, store.localFile(key).orElse(null)));
            }
            byte[] bytes = blob.stream().readNBytes(maxCachedItem + 1);
            if (bytes.length != info.size()) {
                throw new StorageException(key + ": read " + bytes.length + " bytes, expected " + info.size());
            }
            return Optional.of(new Artifact.InMemory(bytes, contentType, etag, info.lastModified(),
                    Artifact.IMMUTABLE, true));
        }
    }

    private FetcherAnswer fetch(ProxyRequest request) throws ProxyException {
        try (ColdFetchLimit.Permit permit = coldFetches.admit(request)) {
            return fetcher.fetch(request);
        } catch (TimeoutException e) {
            throw new ProxyException(Kind.GATEWAY_TIMEOUT, "fetcher timed out after " + fetchTimeoutSeconds
                    + "s on " + request);
        } catch (FaultToleranceException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "fetcher unavailable: " + e.getMessage());
        }
    }

    static boolean isAnswer(ProxyRequest request) {
        return request.type() == Type.LIST || request.type() == Type.LATEST || request.isQuery();
    }

    private static ModuleVersion moduleVersion(ProxyRequest request) throws ProxyException {
        try {
            return request.moduleVersion();
        } catch (GoModException e) {
            throw new ProxyException(Kind.BAD_REQUEST, e.getMessage());
        }
    }

    private static String infoRequest(ModuleVersion mv) {
        return new ProxyRequest(mv.path(), Type.INFO, mv.version()).toString();
    }

    static String contentType(Type type) {
        return switch (type) {
            case INFO, LATEST -> Artifact.JSON;
            case ZIP -> Artifact.ZIP;
            case LIST, MOD -> Artifact.TEXT;
        };
    }

    private ProxyException storageUnavailable(StorageException e) {
        storageErrors.increment();
        return new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
    }
}
