package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.gomod.module.ModuleVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The .mod hand-over of a running background fetch, with real threads and latches. */
class BackgroundFetchesTest {

    private final BackgroundFetches fetches = new BackgroundFetches(2, 4);

    @AfterEach
    void close() {
        fetches.close();
    }

    @Test
    void aStartedFetchHandsOverItsCheckedModBeforeItEnds() throws Exception {
        ModuleVersion mv = ModuleVersion.of("example.com/a", "v1.0.0");
        CountDownLatch finish = new CountDownLatch(1);
        byte[] mod = "module example.com/a\n".getBytes(StandardCharsets.UTF_8);
        CountDownLatch published = new CountDownLatch(1);
        fetches.start(mv, sink -> {
            sink.checked(mod, "http://up");
            published.countDown();
            await(finish);
            return new BackgroundFetches.Done("http://up", () -> { });
        });
        assertTrue(published.await(10, TimeUnit.SECONDS));
        BackgroundFetches.CheckedMod got = fetches.awaitMod(mv); // the fetch is still running
        assertArrayEquals(mod, got.body());
        assertEquals("http://up", got.upstream());
        assertTrue(fetches.running(mv));
        finish.countDown();
        for (int i = 0; i < 1000 && fetches.running(mv); i++) {
            Thread.sleep(10);
        }
        assertFalse(fetches.running(mv), "the fetch ended");
    }

    @Test
    void aFailureBeforeTheModIsWhatTheModRequestGets() throws Exception {
        ModuleVersion mv = ModuleVersion.of("example.com/b", "v1.0.0");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        fetches.start(mv, sink -> {
            started.countDown();
            await(fail);
            throw new FetchException(Kind.UPSTREAM_FAILED, "example.com/b@v1.0.0: malformed go.mod");
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        fail.countDown();
        FetchException e = assertThrows(FetchException.class, () -> fetches.awaitMod(mv));
        assertTrue(e.getMessage().contains("malformed go.mod"), e.getMessage());
    }

    @Test
    void noModWhenTheFetchGotNoneOrThereIsNoFetch() throws Exception {
        assertNull(fetches.awaitMod(ModuleVersion.of("example.com/none", "v1.0.0")));
        ModuleVersion mv = ModuleVersion.of("example.com/c", "v1.0.0");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger after = new AtomicInteger();
        fetches.start(mv, sink -> { // the .mod was stored already: nothing handed over
            started.countDown();
            await(finish);
            return new BackgroundFetches.Done("storage", after::incrementAndGet);
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        finish.countDown();
        assertNull(fetches.awaitMod(mv));
        assertEquals(1, awaitCount(after), "the work after the fetch ran once");
    }

    private static int awaitCount(AtomicInteger n) throws InterruptedException {
        for (int i = 0; i < 1000 && n.get() == 0; i++) {
            Thread.sleep(10);
        }
        return n.get();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void tenThousandFailedVersionsAreSweptOnceExpired() throws Exception {
        BackgroundFetches short_ = new BackgroundFetches(2, 4, TimeUnit.MILLISECONDS.toNanos(50));
        try {
            for (int i = 0; i < 10_000; i++) {
                ModuleVersion mv = ModuleVersion.of("example.com/m" + i, "v1.0.0");
                short_.start(mv, sink -> {
                    throw new dev.modproxy.fetcher.FetchException(dev.modproxy.fetcher.FetchException.Kind.NOT_FOUND, "no");
                });
                try {
                    short_.await(mv);
                } catch (dev.modproxy.fetcher.FetchException expected) {
                    // failed, and remembered for 50 ms
                }
            }
            Thread.sleep(120);
            short_.start(ModuleVersion.of("example.com/last", "v1.0.0"), sink -> new BackgroundFetches.Done("x", () -> { }));
            assertTrue(short_.size() <= 1, "still remembered: " + short_.size());
        } finally {
            short_.close();
        }
    }
}
