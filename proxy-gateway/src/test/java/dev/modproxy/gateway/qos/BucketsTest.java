package dev.modproxy.gateway.qos;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketsTest {

    @Test
    void burstThenRate() {
        AtomicLong now = new AtomicLong();
        Buckets b = new Buckets(10, 5, 100, 1_000_000_000L, now::get);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, b.take("a"));
        }
        long wait = b.take("a");
        assertTrue(wait > 0 && wait <= 100_000_000L, "wait " + wait);
        assertEquals(1, Buckets.retryAfterSeconds(wait));
        assertEquals(0, b.take("b"), "another key has its own bucket");
        now.addAndGet(100_000_000L);
        assertEquals(0, b.take("a"));
    }

    @Test
    void memoryStaysBoundedUnderManyClients() {
        AtomicLong now = new AtomicLong();
        Buckets b = new Buckets(100, 10, 1000, Long.MAX_VALUE, now::get);
        for (int i = 0; i < 100_000; i++) {
            b.take("client-" + i);
            now.addAndGet(1000);
        }
        assertTrue(b.size() <= 1000, "size " + b.size());
    }

    @Test
    void refilledBucketsAreSwept() {
        AtomicLong now = new AtomicLong();
        Buckets b = new Buckets(100, 10, 1000, 1_000_000_000L, now::get);
        for (int i = 0; i < 500; i++) {
            b.take("client-" + i);
        }
        now.addAndGet(2_000_000_000L);
        b.take("late");
        assertEquals(1, b.size());
    }

    @Test
    void offWhenRateIsZero() {
        Buckets b = new Buckets(0, 1, 10, 1, System::nanoTime);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, b.take("a"));
        }
    }
}
