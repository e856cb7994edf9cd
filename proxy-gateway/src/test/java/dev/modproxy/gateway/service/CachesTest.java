package dev.modproxy.gateway.service;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

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
        AnswerCache cache = new AnswerCache(30, 10, now::get);
        Artifact.InMemory answer = bytes(3);
        cache.put("m/@v/list", answer);
        now.addAndGet(29);
        assertSame(answer, cache.get("m/@v/list"));
        now.addAndGet(1);
        assertNull(cache.get("m/@v/list"));
    }

    @Test
    void answersAreBoundedInNumber() {
        AnswerCache cache = new AnswerCache(1_000_000, 2, () -> 0);
        cache.put("a", bytes(1));
        cache.put("b", bytes(1));
        cache.put("c", bytes(1));
        assertNull(cache.get("a"));
        assertNotNull(cache.get("c"));
    }

    @Test
    void aZeroTtlCachesNothing() {
        AnswerCache cache = new AnswerCache(0, 10, () -> 0);
        cache.put("a", bytes(1));
        assertNull(cache.get("a"));
    }
}
