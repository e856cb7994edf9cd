package dev.modproxy.storage.s3;

import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.BlobStoreConformance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The conformance suite against a real MinIO (or any S3 that honours {@code If-None-Match}),
 * plus the one check S3Proxy cannot make: IMMUTABLE writers in <em>separate</em> store instances
 * (as separate fetcher processes would be) still produce exactly one winner.
 *
 * <p>Registered only when {@code MODPROXY_TEST_MINIO_ENDPOINT} is set: storage/pom.xml excludes
 * this class from Surefire unless that variable is in the environment (profile
 * {@code minio-live}), so it never shows up as skipped. Run it with, e.g.
 * <pre>
 *   MODPROXY_TEST_MINIO_ENDPOINT=http://127.0.0.1:9000 \
 *   MODPROXY_TEST_MINIO_ACCESS_KEY=minioadmin MODPROXY_TEST_MINIO_SECRET_KEY=minioadmin \
 *   mvn -f storage/pom.xml test -Dtest=MinioBlobStoreLiveTest
 * </pre>
 * Optional: {@code MODPROXY_TEST_MINIO_BUCKET} (default {@code modproxy-test}, created if
 * missing), {@code MODPROXY_TEST_MINIO_REGION} (default {@code us-east-1}). Each run writes under
 * a fresh random prefix. Run explicitly without the endpoint set, it fails rather than skips.
 */
class MinioBlobStoreLiveTest extends BlobStoreConformance {

    private static final String RUN = "live-" + UUID.randomUUID();

    static S3Settings settings(String prefix) {
        String endpoint = System.getenv("MODPROXY_TEST_MINIO_ENDPOINT");
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalStateException("MODPROXY_TEST_MINIO_ENDPOINT is not set; this test needs a MinIO server");
        }
        return new S3Settings(endpoint, env("MODPROXY_TEST_MINIO_BUCKET", "modproxy-test"),
                env("MODPROXY_TEST_MINIO_ACCESS_KEY", "minioadmin"), env("MODPROXY_TEST_MINIO_SECRET_KEY", "minioadmin"),
                env("MODPROXY_TEST_MINIO_REGION", "us-east-1"), prefix, S3Settings.MIN_PART_SIZE, true);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @Override
    protected BlobStore openStore() throws Exception {
        return new S3BlobStore(settings(RUN + "/" + UUID.randomUUID()));
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void immutableWritersInSeparateInstancesExactlyOneWins() throws Exception {
        String prefix = RUN + "/cross-" + UUID.randomUUID();
        BlobKey key = BlobKey.of("race/@v/v1.0.0.zip");
        int writers = 6;
        List<BlobStore> stores = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int i = 0; i < writers; i++) {
                stores.add(new S3BlobStore(settings(prefix)));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                BlobStore s = stores.get(i);
                byte[] content = ("writer " + i).repeat(100_000).getBytes(StandardCharsets.UTF_8);
                results.add(pool.submit(() -> {
                    start.await();
                    return s.put(key, new ByteArrayInputStream(content), content.length, WriteMode.IMMUTABLE);
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> r : results) {
                winners += r.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, winners, "If-None-Match must let exactly one instance publish");
        } finally {
            pool.shutdownNow();
            for (BlobStore s : stores) {
                s.close();
            }
        }
    }
}
