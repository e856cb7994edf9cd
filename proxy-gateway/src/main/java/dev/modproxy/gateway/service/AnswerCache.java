package dev.modproxy.gateway.service;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Short-lived answers that change upstream: {@code @v/list}, {@code @latest} and {@code .info}
 * queries such as a branch name. Each is reused for the TTL, then asked of the fetcher again;
 * the TTL also becomes the response's {@code max-age}, so clients and shared caches expire it
 * with us.
 *
 * <p>Bounds: at most {@code maxEntries} answers and {@code maxBytes} of answer bodies
 * ({@code modproxy.gateway.list-cache-entries}, {@code -bytes}); the oldest go first, and an
 * answer larger than {@code maxBytes} is not kept. Every put sweeps the answers that have
 * expired, so memory follows what is asked now, not what was asked once (one TTL for all, so
 * insertion order is expiry order and the sweep stops at the first live answer).
 */
final class AnswerCache {

    private record Entry(Artifact.InMemory answer, long expiresAt) {
    }

    private final long ttlNanos;
    private final int maxEntries;
    private final long maxBytes;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Entry> map = new LinkedHashMap<>(256, 0.75f, false);
    private long bytes;

    AnswerCache(long ttlNanos, int maxEntries, long maxBytes, LongSupplier clock) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    synchronized Artifact.InMemory get(String key) {
        Entry e = map.get(key);
        if (e == null) {
            return null;
        }
        if (clock.getAsLong() - e.expiresAt >= 0) {
            remove(key);
            return null;
        }
        return e.answer;
    }

    synchronized void put(String key, Artifact.InMemory answer) {
        if (ttlNanos <= 0 || maxEntries <= 0 || answer.size() > maxBytes) {
            return;
        }
        long now = clock.getAsLong();
        remove(key);
        for (Iterator<Entry> it = map.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now - e.expiresAt < 0) {
                break;
            }
            bytes -= e.answer.size();
            it.remove();
        }
        map.put(key, new Entry(answer, now + ttlNanos));
        bytes += answer.size();
        for (Iterator<Entry> it = map.values().iterator(); (map.size() > maxEntries || bytes > maxBytes) && it.hasNext(); ) {
            bytes -= it.next().answer.size();
            it.remove();
        }
    }

    private void remove(String key) {
        Entry old = map.remove(key);
        if (old != null) {
            bytes -= old.answer.size();
        }
    }

    synchronized int size() {
        return map.size();
    }

    synchronized long bytes() {
        return bytes;
    }
}
