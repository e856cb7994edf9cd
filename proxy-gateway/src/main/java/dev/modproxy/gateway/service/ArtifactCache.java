package dev.modproxy.gateway.service;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The in-process cache of immutable artifacts, so hot {@code .info} and {@code .mod} requests are
 * answered from memory, on the event loop, without a storage round trip.
 *
 * <p>Least recently used goes first once the byte budget is spent. Only immutable things live
 * here (small artifacts' bytes, and the storage metadata of large ones), so an entry is never
 * stale and there is nothing to expire or invalidate. An entry's weight is its size plus a
 * fixed overhead for key and metadata. One lock guards the map: every operation is a hash
 * lookup and a relink, far cheaper than the request around it.
 */
final class ArtifactCache {

    private static final int ENTRY_OVERHEAD = 256;

    private final long budget;
    private final LinkedHashMap<String, Artifact> map = new LinkedHashMap<>(1024, 0.75f, true);
    private long used;

    ArtifactCache(long budget) {
        this.budget = budget;
    }

    synchronized Artifact get(String key) {
        return map.get(key);
    }

    synchronized void put(String key, Artifact artifact) {
        long weight = weight(artifact);
        if (weight > budget) {
            return;
        }
        Artifact old = map.put(key, artifact);
        used += weight - (old == null ? 0 : weight(old));
        Iterator<Map.Entry<String, Artifact>> eldest = map.entrySet().iterator();
        while (used > budget && eldest.hasNext()) {
            Map.Entry<String, Artifact> e = eldest.next();
            used -= weight(e.getValue());
            eldest.remove();
        }
    }

    synchronized int size() {
        return map.size();
    }

    private static long weight(Artifact a) {
        return ENTRY_OVERHEAD + (a instanceof Artifact.InMemory m ? m.bytes().length : 0);
    }
}
