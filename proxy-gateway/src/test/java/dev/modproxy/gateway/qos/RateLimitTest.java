package dev.modproxy.gateway.qos;

import dev.modproxy.gateway.support.FakeFetchers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded loopback load test of the per-client limit (20/s, burst 20 here). Client A, from
 * 127.0.0.2, asks at ten times its limit for three seconds and gets 429s with Retry-After;
 * client B, from 127.0.0.3, at its normal rate meanwhile gets every answer, with a p99 latency
 * within 1.5 times that of a run without A (plus 10 ms for timer and scheduling noise on a
 * shared CI machine). Then the per-module cold-fetch limit: misses of one module past its
 * burst get 429 while hits of that module and misses of others are served.
 */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
@TestProfile(RateLimitTest.Limited.class)
class RateLimitTest {

    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("modproxy.qos.per-client-rps", "20", "modproxy.qos.per-client-burst", "20",
                    "modproxy.qos.per-module-cold-rps", "1", "modproxy.qos.per-module-cold-burst", "3");
        }
    }

    @TestHTTPResource("/")
    URL base;

    record Answer(int status, String retryAfter, long nanos) {
    }

    Answer get(String from, String target) throws IOException {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), base.getPort()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            in.readAllBytes();
            int status = Integer.parseInt(head.substring(9, 12));
            String retry = null;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("retry-after:")) {
                    retry = line.substring(12).strip();
                }
            }
            return new Answer(status, retry, System.nanoTime() - start);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        for (int c = in.read(); c >= 0; c = in.read()) {
            b.write(c);
            matched = (c == '\r' || c == '\n') ? matched + 1 : 0;
            if (matched == 4) {
                break;
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** B's run: {@code n} requests at 10 per second; returns the p99 latency in nanoseconds. */
    long clientB(int n) throws Exception {
        List<Long> latencies = new ArrayList<>();
        long next = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Answer a = get("127.0.0.3", "/example.com/ratehit/@v/v1.0.0.info");
            assertEquals(200, a.status(), "client B refused at its normal rate");
            latencies.add(a.nanos());
            next += 100_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        Collections.sort(latencies);
        return latencies.get((int) Math.ceil(0.99 * latencies.size()) - 1);
    }

    @Test
    void aFloodingClientIsLimitedAndOthersAreNot() throws Exception {
        assertEquals(200, get("127.0.0.4", "/example.com/ratehit/@v/v1.0.0.info").status());
        for (int i = 0; i < 5; i++) {
            clientB(5); // warm up the JIT on both sides
        }
        Thread.sleep(1000);
        // The baseline is the worse of two quiet runs, and the loaded run may be tried three
        // times: the machine is shared with other builds, and one stall of theirs is not ours.
        long unloaded = Math.max(clientB(30), clientB(30));
        long loaded = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && loaded > unloaded * 1.5 + 10_000_000L; attempt++) {
            loaded = Math.min(loaded, underFlood());
        }
        assertTrue(loaded <= unloaded * 1.5 + 10_000_000L,
                "client B p99 " + loaded / 1000 + " us under load vs " + unloaded / 1000 + " us unloaded");
        System.out.printf("rate limit load test: B p99 %d us loaded, %d us unloaded%n", loaded / 1000, unloaded / 1000);
    }

    /** Client A floods at 10x its limit for 3 s while B runs; checks A's answers, returns B's p99. */
    private long underFlood() throws Exception {
        ExecutorService flood = Executors.newFixedThreadPool(4);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        List<String> badRetry = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            workers.add(flood.submit(() -> {
                long next = System.nanoTime();
                while (System.nanoTime() < end) {
                    Answer a = get("127.0.0.2", "/example.com/ratehit/@v/v1.0.0.info");
                    if (a.status() == 200) {
                        ok.incrementAndGet();
                    } else if (a.status() == 429) {
                        limited.incrementAndGet();
                        if (a.retryAfter() == null || Integer.parseInt(a.retryAfter()) < 1) {
                            badRetry.add(String.valueOf(a.retryAfter()));
                        }
                    } else {
                        throw new AssertionError("flooding client got " + a.status());
                    }
                    next += 20_000_000L; // 50/s per worker: 200/s, ten times the limit
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                }
                return null;
            }));
        }
        long loaded = clientB(30);
        for (Future<?> f : workers) {
            f.get(30, TimeUnit.SECONDS);
        }
        flood.shutdown();
        int total = ok.get() + limited.get();
        assertTrue(total >= 300, "flood made only " + total + " requests");
        assertTrue(ok.get() <= 20 + 20 * 4, "flooding client got " + ok.get() + " answers");
        assertTrue(limited.get() >= total / 2, limited + " of " + total + " limited");
        assertTrue(badRetry.isEmpty(), "429 without a good Retry-After: " + badRetry);
        System.out.printf("flood: A %d ok / %d limited%n", ok.get(), limited.get());
        Thread.sleep(1500); // A's bucket refills before another attempt
        return loaded;
    }

    @Test
    void coldFetchesOfOneModuleAreLimited() throws Exception {
        assertEquals(200, get("127.0.0.5", "/example.com/coldhot/@v/v1.0.0.info").status());
        int limited = 0;
        String retry = null;
        for (int i = 1; i <= 6; i++) {
            Answer a = get("127.0.0.5", "/example.com/coldhot/@v/v1." + i + ".0.mod");
            if (a.status() == 429) {
                limited++;
                retry = a.retryAfter();
            }
        }
        assertTrue(limited >= 3, limited + " of 6 cold fetches limited");
        assertEquals("1", retry);
        assertEquals(200, get("127.0.0.5", "/example.com/coldhot/@v/v1.0.0.info").status(), "a hit is not limited");
        assertEquals(200, get("127.0.0.5", "/example.com/coldother/@v/v1.0.0.mod").status());
    }
}
