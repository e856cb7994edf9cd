package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.gomod.module.ModuleVersion;
import org.jboss.logging.Logger;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 */
final class BackgroundFetches {

    private static final Logger LOG = Logger.getLogger(BackgroundFetches.class);

    static final long FAILURE_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(10);

    @FunctionalInterface
    interface Work {
        Done run() throws FetchException;
    }

    /**
     * A finished fetch: where the version came from, and what is left to do once the requests
     * waiting for it have been let go (the catalog record, which no answer depends on).
     */
    record Done(String source, Runnable after) {
    }

    private record Pending(CompletableFuture<String> done, long started) {
    }

    private final ConcurrentHashMap<ModuleVersion, Pending> pending = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor pool;

    BackgroundFetches(int threads, int queue) {
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
        Pending mine = new Pending(new CompletableFuture<>(), System.nanoTime());
        Pending theirs = pending.compute(mv, (k, old) -> old == null || expired(old) ? mine : old);
        if (theirs != mine) {
            return;
        }
        try {
            pool.execute(() -> {
                Done done;
                try {
                    done = work.run();
                    pending.remove(mv, mine);
                    mine.done().complete(done.source());
                } catch (FetchException | RuntimeException e) {
                    LOG.debugf("background fetch of %s failed: %s", mv, e.getMessage());
                    mine.done().completeExceptionally(e); // stays in the map: remembered for a while
                    return;
                }
                done.after().run();
            });
        } catch (RejectedExecutionException full) {
            pending.remove(mv, mine);
            mine.done().complete(null);
        }
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
        try {
            return p.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(FetchException.Kind.UNAVAILABLE, "interrupted while waiting for a fetch");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FetchException fe) {
                throw fe;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
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

    private static boolean expired(Pending p) {
        return p.done().isCompletedExceptionally() && System.nanoTime() - p.started() > FAILURE_MEMORY_NANOS;
    }

    void close() {
        pool.shutdownNow();
    }
}
