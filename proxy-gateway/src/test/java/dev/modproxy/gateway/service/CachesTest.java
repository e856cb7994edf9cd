package dev.modproxy.gateway.service;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class CachesTest {

    static Artifact.InMemory bytes(int n) {
        return new Artifact.InMemory(new byte[n], Artifact.TEXT, "\"x\"", null, Artifact.IMMUTABLE, true);
    }

    @Test
    void artifactCacheEvictsLeastRecentlyUsedByBytes() {
        ArtifactCache cache = new ArtifactCache(3 * (1000 + 256));
        cache.put("a", bytes(1000));
        cache.put("b", bytes(1000));
        cache.put("c", bytes(1000));
        assertNotNull(cache.get("a"));
        cache.put("d", bytes(1000));
        assertNull(cache.get("b"), "b was least recently used");
        assertNotNull(cache.get("a"));
        assertNotNull(cache.get("c"));
        assertNotNull(cache.get("d"));
    }

    @Test
    void artifactCacheRefusesWhatCannotFit() {
        ArtifactCache cache = new ArtifactCache(1000);
        cache.put("small", bytes(10));
        cache.put("huge", bytes(5000));
        assertNull(cache.get("huge"));
        assertNotNull(cache.get("small"));
    }

    @Test
    void answersExpireAfterTheTtl() {
        AtomicLong now = new AtomicLong(1_000);
        AnswerCache cache = new AnswerCache(30, 10, 1 << 20, now::get);
        Artifact.InMemory answer = bytes(3);
        cache.put("m/@v/list", answer);
        now.addAndGet(29);
        assertSame(answer, cache.get("m/@v/list"));
        now.addAndGet(1);
        assertNull(cache.get("m/@v/list"));
    }

    @Test
    void answersAreBoundedInNumber() {
        AnswerCache cache = new AnswerCache(1_000_000, 2, 1 << 20, () -> 0);
        cache.put("a", bytes(1));
        cache.put("b", bytes(1));
        cache.put("c", bytes(1));
        assertNull(cache.get("a"));
        assertNotNull(cache.get("c"));
    }

    @Test
    void answersAreBoundedInBytes() {
        AnswerCache cache = new AnswerCache(1_000_000, 10_000, 1000, () -> 0);
        cache.put("a", bytes(400));
        cache.put("b", bytes(400));
        cache.put("c", bytes(400)); // 1200 > 1000: the oldest goes
        assertNull(cache.get("a"));
        assertNotNull(cache.get("b"));
        assertNotNull(cache.get("c"));
        assertEquals(800, cache.bytes());
        cache.put("huge", bytes(1001)); // never fits: not kept, and nothing evicted for it
        assertNull(cache.get("huge"));
        assertNotNull(cache.get("b"));
    }

    @Test
    void expiredAnswersAreSweptNotJustHiddenUntilAskedFor() {
        AtomicLong now = new AtomicLong(0);
        AnswerCache cache = new AnswerCache(30, 10_000, 1 << 20, now::get);
        for (int i = 0; i < 100; i++) {
            cache.put("old" + i, bytes(100));
        }
        now.addAndGet(31);
        cache.put("new", bytes(100)); // a put sweeps what has expired, though nobody asks for it again
        assertEquals(1, cache.size());
        assertEquals(100, cache.bytes());
    }

    @Test
    void aZeroTtlCachesNothing() {
        AnswerCache cache = new AnswerCache(0, 10, 1 << 20, () -> 0);
        cache.put("a", bytes(1));
        assertNull(cache.get("a"));
    }
}
