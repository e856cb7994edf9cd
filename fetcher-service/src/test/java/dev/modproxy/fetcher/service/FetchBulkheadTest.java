package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.Upstreams;
import dev.modproxy.fetcher.UpstreamsResource;
import dev.modproxy.testing.InternalCalls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 500 concurrent cold fetches against a bulkhead of 8 (16 may wait, 1 s at most): the fetcher
 * stays up, never answers 500, refuses the excess with 503 and {@code Retry-After}, never runs
 * more than 8 upstream fetches at once, and keeps answering versions already in storage
 * quickly all through the burst.
 */
@QuarkusTest
@QuarkusTestResource(value = UpstreamsResource.class, restrictToAnnotatedClass = true)
@TestProfile(FetchBulkheadTest.Bulkhead8.class)
class FetchBulkheadTest {

    public static class Bulkhead8 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("modproxy.fetch.max-concurrent", "8",
                    "modproxy.fetch.max-queued", "16",
                    "modproxy.fetch.queue-timeout", "1s",
                    "modproxy.fetch.busy-retry-after", "7s");
        }
    }

    @UpstreamsResource.Inject
    Upstreams up;

    @Inject
    FetchBulkhead bulkhead;

    @TestHTTPResource("/internal/v1/fetch/")
    URL api;

    @Test
    void burstOfColdFetchesIsBoundedAndCachedVersionsKeepFlowing() throws Exception {
        Upstreams.publish(up.treeA, "example.com/cached", "v1.0.0");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        assertEquals(200, get(client, "example.com/cached/@v/v1.0.0.info").statusCode());
        long unloaded = time(client, "example.com/cached/@v/v1.0.0.info");

        // Every cold fetch waits 800 ms at the first upstream, so slots stay taken.
        up.a.delay(".*/example.com/burst/.*", 800, -1);
        int maxActive = 0;
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            burst.add(client.sendAsync(request("example.com/burst/m" + i + "/@v/v1.0.0.info"),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<Long> cachedDuringBurst = new ArrayList<>();
        while (burst.stream().anyMatch(f -> !f.isDone())) {
            maxActive = Math.max(maxActive, bulkhead.active());
            cachedDuringBurst.add(time(client, "example.com/cached/@v/v1.0.0.info"));
            Thread.sleep(20);
        }
        CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        up.a.clearFaults();

        int busy = 0;
        for (CompletableFuture<HttpResponse<String>> f : burst) {
            HttpResponse<String> r = f.get();
            assertTrue(r.statusCode() == 404 || r.statusCode() == 503, r.statusCode() + " " + r.body());
            if (r.statusCode() == 503) {
                busy++;
                assertEquals("7", r.headers().firstValue("Retry-After").orElse(null), r.body());
                assertTrue(r.body().startsWith("fetcher busy: "), r.body());
            }
        }
        assertTrue(busy >= 500 - 8 - 16 - 16, "refused only " + busy);
        assertTrue(maxActive <= 8, "bulkhead of 8 ran " + maxActive);
        assertTrue(up.a.hits(".*/example.com/burst/.*") <= 8 + 16 + 16, "upstream saw " + up.a.hits(".*/example.com/burst/.*"));
        long worst = cachedDuringBurst.stream().mapToLong(Long::longValue).max().orElse(0);
        assertTrue(!cachedDuringBurst.isEmpty() && worst < Math.max(1000, 20 * unloaded),
                "cached request took " + worst + " ms during the burst (unloaded " + unloaded + " ms)");
        // And the fetcher is still fine afterwards.
        assertEquals(200, get(client, "example.com/cached/@v/v1.0.0.info").statusCode());
        assertEquals(0, bulkhead.active());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", InternalCalls.authorization()).GET().build();
    }

    private HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private long time(HttpClient client, String path) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = get(client, path);
        assertEquals(200, r.statusCode(), r.body());
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
