package dev.modproxy.system;

import dev.modproxy.audit.events.AuditEvent;
import dev.modproxy.audit.events.AuditEventCodec;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStores;
import dev.modproxy.storage.StorageSettings;
import dev.modproxy.storage.layout.ModuleLayout;
import dev.modproxy.testing.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit trail end to end, every part a real process: a Kafka broker, a gateway publishing one
 * event per request, audit-service storing them; queries go through the gateway. The requests
 * are {@code .info} hits on versions seeded into storage (no fetcher is needed, and the gateway
 * answers at its normal speed); each carries its own {@code X-Request-Id}, which the events must
 * show exactly once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditIT {

    private static Path dir;
    private static KafkaBroker broker;
    private static ServiceProcess audit;
    private static ServiceProcess gateway;
    private static Map<String, String> auditEnv;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "audit-it");
        broker = KafkaBroker.start(dir.resolve("kafka"));
        try (BlobStore store = BlobStores.open(StorageSettings.fs(dir.resolve("storage")))) {
            for (String tag : List.of("a", "k", "o")) {
                for (int m = 0; m < 10; m++) {
                    for (int v = 0; v < 10; v++) {
                        byte[] info = ("{\"Version\":\"v1.0." + v + "\",\"Time\":\"2024-01-01T00:00:00Z\"}").getBytes();
                        store.put(ModuleLayout.artifact(ModuleVersion.of("audit.example/" + tag + "/m" + m, "v1.0." + v), ProxyRequest.Type.INFO),
                                new java.io.ByteArrayInputStream(info), info.length, BlobStore.WriteMode.IMMUTABLE);
                    }
                }
            }
        }
        auditEnv = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "MODPROXY_DATA_DIR", dir.resolve("audit").toString(),
                "MODPROXY_AUDIT_FLUSH_INTERVAL", "500ms",
                "MODPROXY_AUDIT_SEGMENT_EVENTS", "1000");
        audit = ServiceProcess.start("audit-service", "audit", dir.resolve("logs"), auditEnv);
        gateway = ServiceProcess.start("proxy-gateway", "gateway", dir.resolve("logs"), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "MODPROXY_DATA_DIR", dir.resolve("gateway").toString(),
                "MODPROXY_STORAGE_FS_ROOT", dir.resolve("storage").toString(),
                "MODPROXY_FETCHER_ENDPOINTS", "http://127.0.0.1:" + ServiceProcess.freePort(),
                "MODPROXY_AUDIT_ENDPOINT", audit.url(),
                "MODPROXY_AUDIT_DELIVERY_TIMEOUT", "5s",
                "MODPROXY_AUDIT_REPLICA", "gw-it",
                // One test client makes thousands of requests a second: no per-client rate limit here.
                "MODPROXY_QOS_PER_CLIENT_RPS", "0"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[]{gateway, audit, broker}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    @Order(1)
    void tenThousandRequestsAreTenThousandEventsEachOnce() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        run("a", 10_000, 8, null);
        List<AuditEvent> events = awaitEvents("since=" + since + "&modulePrefix=audit.example/a", 10_000);
        assertExactlyOnce(events, 10_000);
        AuditEvent e = events.get(0);
        assertEquals("gw-it", e.replica());
        assertEquals(AuditEvent.Kind.INFO, e.kind());
        assertEquals("127.0.0.1", e.client());
    }

    @Test
    @Order(2)
    void aKilledAuditServiceLosesNothingAndRepeatsNothing() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        Future<?> load = Executors.newSingleThreadExecutor().submit(() -> {
            run("k", 5_000, 4, null);
            return null;
        });
        Thread.sleep(1500);
        audit.kill();
        load.get();
        audit = ServiceProcess.start("audit-service", "audit", dir.resolve("logs"), auditEnv, audit.port());
        assertExactlyOnce(awaitEvents("since=" + since + "&modulePrefix=audit.example/k", 5_000), 5_000);
    }

    @Test
    @Order(3)
    void aThirtySecondBrokerOutageLosesNothingAndSlowsNothing() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        long[] latencies = new long[5_000];
        AtomicInteger done = new AtomicInteger();
        ExecutorService outage = Executors.newSingleThreadExecutor();
        Future<?> stopper = outage.submit(() -> {
            while (done.get() < 1000) {
                Thread.sleep(10);
            }
            broker.stop();
            Thread.sleep(30_000);
            broker.start();
            return null;
        });
        // Paced so the run spans the outage: about 5,000 requests over ~45 s.
        run("o", 5_000, 2, (i, nanos) -> {
            latencies[i] = nanos;
            done.incrementAndGet();
            try {
                Thread.sleep(15);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.get();
        assertExactlyOnce(awaitEvents("since=" + since + "&modulePrefix=audit.example/o", 5_000), 5_000);
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        long p99 = sorted[(int) (sorted.length * 0.99)] / 1_000_000;
        System.out.printf("outage run: p50 %d ms, p99 %d ms, max %d ms%n", sorted[sorted.length / 2] / 1_000_000, p99,
                sorted[sorted.length - 1] / 1_000_000);
        assertTrue(p99 < 500, "p99 latency during the outage " + p99 + " ms");
        String health = get(gateway.url() + "/q/health/ready").body();
        assertTrue(health.contains("\"audit\""), health);
    }

    @Test
    @Order(4)
    void malformedQueriesThroughTheGatewayAre400s() throws Exception {
        for (String q : List.of("since=nope", "limit=0", "kind=tar", "status=x", "format=csv", "cursor=zzz")) {
            HttpResponse<String> r = get(gateway.url() + "/api/v1/audit?" + q);
            assertEquals(400, r.statusCode(), q + " -> " + r.body());
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"), q);
            assertEquals(1, r.body().strip().lines().count(), q + " -> " + r.body());
        }
    }

    interface Timing {
        void took(int i, long nanos);
    }

    /** {@code n} requests for {@code .info} of 10 versions of 10 modules, on {@code threads} threads. */
    private static void run(String tag, int n, int threads, Timing timing) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < n; ) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/audit.example/"
                                    + tag + "/m" + (i % 10) + "/@v/v1.0." + (i / 10 % 10) + ".info"))
                            .header("X-Request-Id", tag + "-" + i).timeout(Duration.ofSeconds(60)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new AssertionError("unexpected status " + r.statusCode());
                    }
                    if (timing != null) {
                        timing.took(i, System.nanoTime() - t0);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The NDJSON answer through the gateway, polled until it holds {@code n} events (and then once more). */
    private static List<AuditEvent> awaitEvents(String query, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<AuditEvent> got = List.of();
        while (System.nanoTime() < deadline) {
            got = query(query);
            if (got.size() >= n) {
                Thread.sleep(2000);
                return query(query);
            }
            Thread.sleep(500);
        }
        return got;
    }

    private static List<AuditEvent> query(String query) throws Exception {
        HttpResponse<String> r = get(gateway.url() + "/api/v1/audit?format=ndjson&" + query);
        assertEquals(200, r.statusCode(), r.body());
        List<AuditEvent> out = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (!line.isEmpty()) {
                out.add(AuditEventCodec.decode(line));
            }
        }
        return out;
    }

    private static void assertExactlyOnce(List<AuditEvent> events, int n) {
        Set<String> requests = new HashSet<>();
        Map<String, Integer> perModule = new HashMap<>();
        for (AuditEvent e : events) {
            requests.add(e.requestId());
            perModule.merge(e.module(), 1, Integer::sum);
            assertEquals(200, e.status());
        }
        assertEquals(n, events.size(), "events returned");
        assertEquals(n, requests.size(), "one event per request");
        assertEquals(10, perModule.size());
    }
}
