package dev.modproxy.fetcher.vcs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A map of at most {@code max} entries that forgets the least recently used ones. Direct
 * fetching keys maps by module paths and repository URLs that anyone can choose; without a
 * bound, ten thousand made-up paths would be ten thousand entries kept forever.
 */
final class Lru<K, V> {

    private final int max;
    private final LinkedHashMap<K, V> map = new LinkedHashMap<>(16, 0.75f, true);

    Lru(int max) {
        this.max = Math.max(1, max);
    }

    synchronized V get(K key) {
        return map.get(key);
    }

    synchronized V computeIfAbsent(K key, Function<K, V> make) {
        return map.computeIfAbsent(key, make);
    }

    /** Adds an entry, dropping the least recently used beyond the bound. */
    synchronized void put(K key, V value) {
        map.put(key, value);
        trim(v -> true, v -> 0, Long.MAX_VALUE);
    }

    synchronized boolean remove(K key, V value) {
        return map.remove(key, value);
    }

    synchronized int size() {
        return map.size();
    }

    /**
     * Drops least recently used entries that {@code drop} lets go (it may refuse one in use), until
     * at most {@code max} remain and their {@code weight} sums to at most {@code maxWeight}.
     * Returns what was dropped.
     */
    synchronized List<V> trim(Predicate<V> drop, ToLongFunction<V> weight, long maxWeight) {
        long total = 0;
        for (V v : map.values()) {
            total += weight.applyAsLong(v);
        }
        List<V> dropped = new ArrayList<>();
        for (Iterator<Map.Entry<K, V>> it = map.entrySet().iterator(); it.hasNext()
                && (map.size() > max || total > maxWeight); ) {
            V v = it.next().getValue();
            long w = weight.applyAsLong(v);
            if (drop.test(v)) {
                it.remove();
                total -= w;
                dropped.add(v);
            }
        }
        return dropped;
    }
}
