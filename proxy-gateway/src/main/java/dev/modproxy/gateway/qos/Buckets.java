package dev.modproxy.gateway.qos;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a client, a module), in bounded memory. A bucket that has refilled
 * carries no information, so sweeps (every {@code sweepNanos}, or when the map passes
 * {@code maxEntries}) drop full buckets. If a flood of distinct keys still fills the map, the
 * sweep drops arbitrary buckets: those keys start again with a full bucket, which errs on the
 * side of serving, never of refusing a client that did nothing.
 */
final class Buckets {

    private final double rate;
    private final int burst;
    private final int maxEntries;
    private final long sweepNanos;
    private final LongSupplier clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    Buckets(double rate, int burst, int maxEntries, long sweepNanos, LongSupplier clock) {
        this.rate = rate;
        this.burst = burst;
        this.maxEntries = Math.max(16, maxEntries);
        this.sweepNanos = sweepNanos;
        this.clock = clock;
        this.lastSweep = new AtomicLong(clock.getAsLong());
    }

    boolean enabled() {
        return rate > 0;
    }

    /** Takes a token from {@code key}'s bucket: 0, or the nanoseconds to wait for one. */
    long take(String key) {
        if (!enabled()) {
            return 0;
        }
        long now = clock.getAsLong();
        maybeSweep(now);
        return buckets.computeIfAbsent(key, k -> new TokenBucket(rate, burst, now)).take(now);
    }

    void refund(String key) {
        TokenBucket b = buckets.get(key);
        if (b != null) {
            b.refund();
        }
    }

    int size() {
        return buckets.size();
    }

    private void maybeSweep(long now) {
        long last = lastSweep.get();
        boolean due = now - last >= sweepNanos || buckets.size() >= maxEntries;
        if (!due || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        buckets.values().removeIf(b -> b.isFull(now));
        if (buckets.size() >= maxEntries) {
            Iterator<String> it = buckets.keySet().iterator();
            for (int drop = buckets.size() - maxEntries / 2; drop > 0 && it.hasNext(); drop--) {
                it.next();
                it.remove();
            }
        }
    }

    /** Whole seconds for {@code Retry-After}: at least 1. */
    static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }
}
