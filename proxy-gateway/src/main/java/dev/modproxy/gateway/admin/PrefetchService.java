package dev.modproxy.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modproxy.gateway.config.OpsConfig;
import dev.modproxy.gateway.service.Artifact;
import dev.modproxy.gateway.service.ArtifactService;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.modfile.GoMod;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.layout.ModuleLayout;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prefetch: versions and everything their go.mod files require, recursively, fetched through
 * the fetcher ring (so verified against the checksum databases and stored exactly as a client's
 * miss would be), in the background.
 *
 * <p>A job walks the module graph breadth-first: each whole version is fetched (its
 * {@code .info}, which makes the fetcher store {@code .mod}, {@code .zip} and {@code .info}),
 * then its stored go.mod is read and every requirement not seen yet is queued. Versions asked
 * for as go.mod only (go.sum {@code /go.mod} lines) are fetched as such and not walked. At most
 * {@code modproxy.prefetch.concurrency} versions are in flight per job; a job stops growing at
 * {@code modproxy.prefetch.max-versions} and says so. A failure is written down and the walk goes
 * on: the summary lists every version that could not be fetched and why.
 *
 * <p>Progress lives in memory on the replica that runs the job and is written to storage
 * ({@code prefetch/<id>.json}) as it goes and at the end, so any replica can answer a poll.
 * A finished job is dropped from memory {@link #RETENTION} after it ends (polls then read the
 * stored status); jobs run on {@link #RUNNING_JOBS} coordinator threads, at most
 * {@link #QUEUED_JOBS} more wait, and beyond that a new job is refused with 503: whoever may
 * start jobs cannot grow the gateway's memory or threads without bound.
 */
@ApplicationScoped
public class PrefetchService {

    private static final Logger LOG = Logger.getLogger(PrefetchService.class);
    static final String PREFIX = "prefetch/";
    static final java.time.Duration RETENTION = java.time.Duration.ofMinutes(10);
    static final int RUNNING_JOBS = 2;
    static final int QUEUED_JOBS = 32;

    private final ArtifactService artifacts;
    private final QuarantineService quarantine;
    private final BlobStore store;
    private final ObjectMapper json;
    private final int concurrency;
    private final int maxVersions;
    private final ExecutorService workers;
    private final java.util.concurrent.ThreadPoolExecutor coordinators = new java.util.concurrent.ThreadPoolExecutor(
            RUNNING_JOBS, RUNNING_JOBS, 60, java.util.concurrent.TimeUnit.SECONDS,
            new java.util.concurrent.ArrayBlockingQueue<>(QUEUED_JOBS), daemon("prefetch-job"));
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private volatile long retentionNanos = RETENTION.toNanos();

    public PrefetchService(ArtifactService artifacts, QuarantineService quarantine, BlobStore store,
                           ObjectMapper json, OpsConfig config) {
        this.artifacts = artifacts;
        this.quarantine = quarantine;
        this.store = store;
        this.json = json;
        this.concurrency = Math.max(1, config.prefetch().concurrency());
        this.maxVersions = config.prefetch().maxVersions();
        this.workers = Executors.newFixedThreadPool(concurrency * 2, daemon("prefetch-fetch"));
    }

    void stop(@Observes ShutdownEvent e) {
        coordinators.shutdownNow();
        workers.shutdownNow();
    }

    /** Starts a job; returns its first status. */
    public Map<String, Object> start(byte[] body) throws ProxyException {
        PrefetchInput input = PrefetchInput.parse(body);
        prune();
        Job job = new Job(UUID.randomUUID().toString(), input);
        jobs.put(job.id, job);
        try {
            coordinators.execute(() -> run(job));
        } catch (java.util.concurrent.RejectedExecutionException full) {
            jobs.remove(job.id);
            throw new ProxyException(Kind.UNAVAILABLE, "too many prefetch jobs: " + RUNNING_JOBS + " running and "
                    + QUEUED_JOBS + " waiting; try again when one has finished");
        }
        return job.status();
    }

    /** Drops jobs that finished longer than the retention ago; their status stays in storage. */
    private void prune() {
        long now = System.nanoTime();
        jobs.values().removeIf(j -> j.finishedNanos != 0 && now - j.finishedNanos > retentionNanos);
    }

    /** Jobs held in memory (for tests). */
    int jobsInMemory() {
        prune();
        return jobs.size();
    }

    /** Coordinator threads alive (for tests: never more than {@link #RUNNING_JOBS}). */
    int coordinatorThreads() {
        return coordinators.getPoolSize();
    }

    /** Changes the retention (for tests). */
    void retention(java.time.Duration d) {
        retentionNanos = d.toNanos();
    }

    public Map<String, Object> status(String id) throws ProxyException {
        Job job = jobs.get(id);
        if (job != null) {
            return job.status();
        }
        if (!id.matches("[0-9a-f-]{36}")) {
            throw new ProxyException(Kind.NOT_FOUND, "no prefetch " + id);
        }
        try {
            Optional<Blob> b = store.get(BlobKey.of(PREFIX + id + ".json"));
            if (b.isEmpty()) {
                throw new ProxyException(Kind.NOT_FOUND, "no prefetch " + id);
            }
            try (Blob blob = b.get()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = json.readValue(blob.stream(), Map.class);
                return m;
            }
        } catch (IOException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
        }
    }

    private void run(Job job) {
        job.state = "running";
        Set<ModuleVersion> seen = new HashSet<>(job.input.versions().keySet());
        List<Future<List<ModuleVersion>>> inFlight = new ArrayList<>();
        List<Map.Entry<ModuleVersion, Boolean>> queue = new ArrayList<>(job.input.versions().entrySet());
        job.total.set(queue.size());
        long lastSave = 0;
        try {
            while (!queue.isEmpty() || !inFlight.isEmpty()) {
                while (!queue.isEmpty() && inFlight.size() < concurrency) {
                    var next = queue.remove(0);
                    inFlight.add(workers.submit(() -> one(job, next.getKey(), next.getValue())));
                }
                Future<List<ModuleVersion>> done = inFlight.remove(0);
                for (ModuleVersion required : done.get()) {
                    if (seen.size() >= maxVersions) {
                        job.truncated = true;
                        break;
                    }
                    if (seen.add(required)) {
                        queue.add(Map.entry(required, true));
                        job.total.incrementAndGet();
                    }
                }
                if (System.nanoTime() - lastSave > 2_000_000_000L) {
                    save(job.id, job.status());
                    lastSave = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.failures.add(failure("(job)", "", "interrupted: the gateway is shutting down"));
        } catch (Exception e) {
            LOG.error("prefetch " + job.id + " failed", e);
            job.failures.add(failure("(job)", "", "internal error (logged): " + e));
        }
        job.finished = Instant.now();
        // Stored as done before this replica says so, so a poll that saw "done" finds it anywhere.
        Map<String, Object> last = job.status();
        last.put("state", "done");
        save(job.id, last);
        job.state = "done";
        job.finishedNanos = System.nanoTime();
        LOG.infof("prefetch %s done: %d of %d stored, %d failed", job.id, job.stored.get(), job.total.get(),
                job.failures.size());
    }

    /** Fetches one version (or its go.mod); returns what its go.mod requires, to be walked. */
    private List<ModuleVersion> one(Job job, ModuleVersion mv, boolean whole) {
        try {
            Optional<QuarantineService.Entry> q = quarantine.find(mv);
            if (q.isPresent()) {
                throw new ProxyException(Kind.GONE, "quarantined: " + q.get().reason());
            }
            if (!whole) {
                artifacts.resolve(new ProxyRequest(mv.path(), Type.MOD, mv.version()));
                job.stored.incrementAndGet();
                return List.of();
            }
            // The .zip, not the .info: a .info miss may be answered early, before the version is
            // stored (modproxy.fetch.early-info); a .zip answer means the whole version is stored.
            artifacts.resolve(new ProxyRequest(mv.path(), Type.ZIP, mv.version()));
            if (store.stat(ModuleLayout.artifact(mv, Type.INFO)).isEmpty()) {
                throw new ProxyException(Kind.BAD_GATEWAY, "the fetcher answered but the version is not in storage");
            }
            job.stored.incrementAndGet();
            byte[] mod = bytes(artifacts.resolve(new ProxyRequest(mv.path(), Type.MOD, mv.version())));
            List<ModuleVersion> out = new ArrayList<>();
            for (GoMod.Require r : GoMod.parseLax("go.mod", mod).requires()) {
                try {
                    out.add(ModuleVersion.of(r.path(), r.version()));
                } catch (GoModException e) {
                    job.failures.add(failure(r.path(), r.version(), "required by " + mv + ": " + e.getMessage()));
                }
            }
            return out;
        } catch (ProxyException e) {
            job.failures.add(failure(mv.path().value(), mv.version(), e.getMessage()));
        } catch (GoModException e) {
            job.failures.add(failure(mv.path().value(), mv.version(), "go.mod: " + e.getMessage()));
        } catch (IOException e) {
            job.failures.add(failure(mv.path().value(), mv.version(), "storage unavailable: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("prefetch of " + mv + " failed", e);
            job.failures.add(failure(mv.path().value(), mv.version(), "internal error (logged): " + e));
        } finally {
            job.done.incrementAndGet();
        }
        return List.of();
    }

    private byte[] bytes(Artifact a) throws ProxyException, IOException {
        if (a instanceof Artifact.InMemory m) {
            return m.bytes();
        }
        Artifact.Stored s = (Artifact.Stored) a;
        try (InputStream in = artifacts.open(s, 0, s.size())) {
            return in.readAllBytes();
        }
    }

    private void save(String id, Map<String, Object> status) {
        try {
            byte[] b = json.writeValueAsBytes(status);
            store.put(BlobKey.of(PREFIX + id + ".json"), new ByteArrayInputStream(b), b.length,
                    BlobStore.WriteMode.REPLACE);
        } catch (IOException e) {
            LOG.warnf("prefetch %s: progress not saved: %s", id, e.getMessage());
        }
    }

    private static Map<String, String> failure(String module, String version, String reason) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("module", module);
        f.put("version", version);
        f.put("reason", ProxyException.oneLine(reason));
        return f;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static final class Job {
        final String id;
        final PrefetchInput input;
        final Instant started = Instant.now();
        volatile Instant finished;
        volatile long finishedNanos;
        volatile String state = "queued";
        volatile boolean truncated;
        final AtomicInteger total = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger stored = new AtomicInteger();
        final List<Map<String, String>> failures = java.util.Collections.synchronizedList(new ArrayList<>());

        Job(String id, PrefetchInput input) {
            this.id = id;
            this.input = input;
        }

        Map<String, Object> status() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("state", state);
            m.put("input", input.format());
            m.put("requested", input.versions().size());
            m.put("total", total.get());
            m.put("done", done.get());
            m.put("stored", stored.get());
            m.put("failed", failures.size());
            m.put("truncated", truncated);
            m.put("started", started.toString());
            m.put("finished", finished == null ? null : finished.toString());
            synchronized (failures) {
                m.put("failures", List.copyOf(failures));
            }
            return m;
        }
    }
}
