package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.gomod.module.ModuleVersion;
import org.jboss.logging.Logger;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whole-version fetches running in the background after an early {@code .info} answer (see
 * {@link ModuleFetcher#info}).
 *
 * <p>A fetch is registered before its {@code .info} answer leaves, so the {@code .mod} and
 * {@code .zip} requests that follow always find it: a {@code .zip} waits for it, a {@code .mod}
 * is answered from the upstream but not stored while it runs. A failed one is remembered for
 * {@link #FAILURE_MEMORY_NANOS}, so a {@code .mod} or {@code .zip} that comes after it gets the
 * same answer (a checksum mismatch stays a 502) instead of storing that version's {@code .mod}
 * alone. At most {@code threads} run at once (each also
 * passes the fetch bulkhead); when the queue is full the fetch is simply not started, and the
 * {@code .zip} request fetches the version in the foreground as it would without early answers.
 *
 * <p>Remembered failures are swept once they expire (at most once per failure memory, on the
 * next {@link #start}): versions are named by whoever asks, and a failure nobody asks about
 * again would otherwise stay forever.
 */
final class BackgroundFetches {

    private static final Logger LOG = Logger.getLogger(BackgroundFetches.class);

    static final long FAILURE_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(10);

    @FunctionalInterface
    interface Work {
        Done run(ModSink checkedMod) throws FetchException;
    }

    /** Told the version's {@code .mod} once the fetch has it from the upstream, checked. */
    @FunctionalInterface
    interface ModSink {
        void checked(byte[] mod, String upstream);

        ModSink NONE = (mod, upstream) -> { };
    }

    /** A {@code .mod} a running fetch got from {@code upstream} and checked (not stored yet). */
    record CheckedMod(byte[] body, String upstream) {
    }

    /**
     * A finished fetch: where the version came from, and what is left to do once the requests
     * waiting for it have been let go (the catalog record, which no answer depends on).
     */
    record Done(String source, Runnable after) {
    }

    /** {@code mod}: completed with the checked .mod, with null if the fetch did not get one, or its failure. */
    private record Pending(CompletableFuture<String> done, long started, AtomicBoolean running,
                           CompletableFuture<CheckedMod> mod) {
    }

    private final ConcurrentHashMap<ModuleVersion, Pending> pending = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor pool;
    private final long failureMemoryNanos;
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime());

    BackgroundFetches(int threads, int queue) {
        this(threads, queue, FAILURE_MEMORY_NANOS);
    }

    BackgroundFetches(int threads, int queue, long failureMemoryNanos) {
        this.failureMemoryNanos = failureMemoryNanos;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "background-fetch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Starts {@code work} for {@code mv} unless one is already running or failed recently. */
    void start(ModuleVersion mv, Work work) {
        sweep();
        Pending mine = new Pending(new CompletableFuture<>(), System.nanoTime(), new AtomicBoolean(),
                new CompletableFuture<>());
        Pending theirs = pending.compute(mv, (k, old) -> old == null || expired(old) ? mine : old);
        if (theirs != mine) {
            return;
        }
        try {
            pool.execute(() -> {
                Done done;
                mine.running().set(true);
                try {
                    done = work.run((mod, upstream) -> mine.mod().complete(new CheckedMod(mod, upstream)));
                    mine.mod().complete(null);
                    pending.remove(mv, mine);
                    mine.done().complete(done.source());
                } catch (FetchException | RuntimeException e) {
                    LOG.debugf("background fetch of %s failed: %s", mv, e.getMessage());
                    mine.mod().completeExceptionally(e);
                    mine.done().completeExceptionally(e); // stays in the map: remembered for a while
                    return;
                }
                done.after().run();
            });
        } catch (RejectedExecutionException full) {
            pending.remove(mv, mine);
            mine.mod().complete(null);
            mine.done().complete(null);
        }
    }

    /**
     * The {@code .mod} of a background fetch of {@code mv} that has started: waits until the
     * fetch has it from the upstream and checked, and rethrows the fetch's failure if it failed
     * first. Null if there is no such fetch, it is still queued, or it got no {@code .mod}
     * (one was stored already); the caller then fetches the {@code .mod} itself.
     */
    CheckedMod awaitMod(ModuleVersion mv) throws FetchException {
        Pending p = pending.get(mv);
        if (p == null || !p.running().get() || expired(p)) {
            return null;
        }
        return SingleFlight.await(p.mod());
    }

    /**
     * Waits for the background fetch of {@code mv}, if one is running or failed recently, and
     * rethrows its failure. Returns where it fetched from, or null if there was none.
     */
    String await(ModuleVersion mv) throws FetchException {
        Pending p = pending.get(mv);
        if (p == null) {
            return null;
        }
        if (expired(p)) {
            pending.remove(mv, p);
            return null;
        }
        return SingleFlight.await(p.done());
    }

    /**
     * True while a background fetch of {@code mv} runs; throws its failure if it failed
     * recently; false when there is none (or it succeeded).
     */
    boolean running(ModuleVersion mv) throws FetchException {
        Pending p = pending.get(mv);
        if (p == null) {
            return false;
        }
        if (p.done().isCompletedExceptionally()) {
            await(mv);
            return false;
        }
        return !p.done().isDone();
    }

    private boolean expired(Pending p) {
        return p.done().isCompletedExceptionally() && System.nanoTime() - p.started() > failureMemoryNanos;
    }

    /** Drops expired failures, at most once per failure memory (whoever gets to it first). */
    private void sweep() {
        long last = lastSweep.get();
        long now = System.nanoTime();
        if (now - last > failureMemoryNanos && lastSweep.compareAndSet(last, now)) {
            pending.entrySet().removeIf(e -> expired(e.getValue()));
        }
    }

    /** Fetches running, queued or remembered as failed (for tests). */
    int size() {
        return pending.size();
    }

    void close() {
        pool.shutdownNow();
    }
}
