package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.fetcher.config.FetcherConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bulkhead around upstream and VCS fetches: at most {@code modproxy.fetch.max-concurrent}
 * run at once; up to {@code max-queued} more wait, each at most {@code queue-timeout}, in
 * arrival order; anything beyond is refused at once with 503 and {@code Retry-After}
 * ({@code busy-retry-after}). A burst of cold requests therefore costs a bounded number of
 * threads, connections and temporary files, and the fetcher stays up to serve what it can.
 *
 * <p>A thread that already holds a slot (a query resolving a version, then fetching it) passes
 * through: waiting for a second slot while holding one could deadlock the bulkhead.
 */
@ApplicationScoped
public class FetchBulkhead {

    /** Work done inside the bulkhead. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws FetchException;
    }

    private final Semaphore slots;
    private final int maxQueued;
    private final long queueNanos;
    private final long retryAfter;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final ThreadLocal<int[]> held = ThreadLocal.withInitial(() -> new int[1]);
    private final int max;

    public FetchBulkhead(FetcherConfig config, Instance<MeterRegistry> registry) {
        FetcherConfig.Fetch f = config.fetch();
        this.max = Math.max(1, f.maxConcurrent());
        this.slots = new Semaphore(max, true);
        this.maxQueued = Math.max(0, f.maxQueued());
        this.queueNanos = f.queueTimeout().toNanos();
        this.retryAfter = Math.max(1, f.busyRetryAfter().toSeconds());
        if (registry.isResolvable()) {
            MeterRegistry r = registry.get();
            Gauge.builder("modproxy.fetch.bulkhead.active", this, b -> b.max - b.slots.availablePermits()).register(r);
            Gauge.builder("modproxy.fetch.bulkhead.queued", queued, AtomicInteger::get).register(r);
            Gauge.builder("modproxy.fetch.bulkhead.refused", refused, AtomicLong::get).register(r);
        }
    }

    public <T> T call(String what, Work<T> work) throws FetchException {
        int[] depth = held.get();
        if (depth[0] > 0) {
            return nested(depth, work);
        }
        if (!slots.tryAcquire()) {
            if (queued.incrementAndGet() > maxQueued) {
                queued.decrementAndGet();
                throw busy(what, "all " + max + " fetch slots busy and " + maxQueued + " fetches waiting");
            }
            try {
                if (!slots.tryAcquire(queueNanos, TimeUnit.NANOSECONDS)) {
                    throw busy(what, "no fetch slot free within " + TimeUnit.NANOSECONDS.toSeconds(queueNanos) + "s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw busy(what, "interrupted while waiting for a fetch slot");
            } finally {
                queued.decrementAndGet();
            }
        }
        try {
            return nested(depth, work);
        } finally {
            slots.release();
        }
    }

    private static <T> T nested(int[] depth, Work<T> work) throws FetchException {
        depth[0]++;
        try {
            return work.run();
        } finally {
            depth[0]--;
        }
    }

    private FetchException busy(String what, String why) {
        refused.incrementAndGet();
        return new FetchException(Kind.UNAVAILABLE, "fetcher busy: " + why + " (" + what + "); retry in "
                + retryAfter + "s", null, null, retryAfter);
    }

    /** Fetches running now (for tests and metrics). */
    public int active() {
        return max - slots.availablePermits();
    }
}
