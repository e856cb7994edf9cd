package dev.modproxy.gateway.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Short-lived answers that change upstream: {@code @v/list}, {@code @latest} and {@code .info}
 * queries such as a branch name. Each is reused for the TTL, then asked of the fetcher again;
 * the TTL also becomes the response's {@code max-age}, so clients and shared caches expire it
 * with us. At most {@code maxEntries} are kept; the oldest go first.
 */
final class AnswerCache {

    private record Entry(Artifact.InMemory answer, long expiresAt) {
    }

    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Entry> map;

    AnswerCache(long ttlNanos, int maxEntries, LongSupplier clock) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.map = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > AnswerCache.this.maxEntries;
            }
        };
    }

    synchronized Artifact.InMemory get(String key) {
        Entry e = map.get(key);
        if (e == null) {
            return null;
        }
        if (clock.getAsLong() - e.expiresAt >= 0) {
            map.remove(key);
            return null;
        }
        return e.answer;
    }

    synchronized void put(String key, Artifact.InMemory answer) {
        if (ttlNanos <= 0 || maxEntries <= 0) {
            return;
        }
        map.remove(key);
        map.put(key, new Entry(answer, clock.getAsLong() + ttlNanos));
    }
}
