package dev.modproxy.storage.s3;

import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.BlobStoreConformance;
import dev.modproxy.storage.StorageException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conformance suite on {@link S3BlobStore} through the MinIO SDK against a real S3Proxy in
 * this JVM. Each test gets its own key prefix in one bucket, so prefix handling is exercised
 * too. S3Proxy ignores {@code If-None-Match}, so here the IMMUTABLE race is closed by the
 * store's in-JVM per-key serialisation; {@code MinioBlobStoreLiveTest} runs the suite against a
 * server that honours the header.
 */
class S3BlobStoreTest extends BlobStoreConformance {

    static final String BUCKET = "modproxy-test";
    private static final AtomicInteger RUN = new AtomicInteger();

    @TempDir
    static Path data;
    static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3ProxyServer(data);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static S3Settings settings(String prefix) {
        // 5 MiB parts (S3's minimum) so the 64 MiB test and the 7 MiB failure go multipart.
        return new S3Settings(server.endpoint(), BUCKET, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY,
                "us-east-1", prefix, S3Settings.MIN_PART_SIZE, true);
    }

    @Override
    protected BlobStore openStore() throws Exception {
        return new S3BlobStore(settings("t" + RUN.incrementAndGet()));
    }

    /**
     * A small put does not allocate a whole part buffer (M12: 16 MiB by default for every
     * catalog marker, log entry or tile). Measured as the bytes the putting thread allocates,
     * with parts of 64 MiB so a part buffer would stand out from the client's own allocations.
     */
    @Test
    void aSmallPutDoesNotAllocateAWholePart() throws Exception {
        S3Settings big = new S3Settings(server.endpoint(), BUCKET, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY,
                "us-east-1", "small-" + RUN.incrementAndGet(), 64 << 20, true);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        try (BlobStore s = new S3BlobStore(big)) {
            byte[] b = bytes("a catalog marker");
            s.put(BlobKey.of("warm/up"), new ByteArrayInputStream(b), b.length, WriteMode.IMMUTABLE);
            for (int i = 0; i < 4; i++) {
                long before = threads.getThreadAllocatedBytes(thread);
                assertTrue(s.put(BlobKey.of("small/" + i), new ByteArrayInputStream(b), b.length, WriteMode.IMMUTABLE));
                long used = threads.getThreadAllocatedBytes(thread) - before;
                assertTrue(used < 16 << 20, "a " + b.length + "-byte put allocated " + used + " bytes");
            }
            try (var blob = s.get(BlobKey.of("small/3")).orElseThrow()) {
                assertEquals("a catalog marker", new String(blob.stream().readAllBytes()));
            }
        }
    }

    @Test
    void prefixesIsolateStores() throws Exception {
        try (BlobStore other = new S3BlobStore(settings("other-" + RUN.incrementAndGet()))) {
            put(BlobKey.of("shared/key"), "mine", WriteMode.IMMUTABLE);
            byte[] b = bytes("theirs");
            assertTrue(other.put(BlobKey.of("shared/key"), new ByteArrayInputStream(b), b.length, WriteMode.IMMUTABLE));
            assertEquals("mine", new String(readAll(BlobKey.of("shared/key"))));
            assertEquals(List.of(BlobKey.of("shared/key")), other.list(""));
        }
    }

    @Test
    void wrongSecretIsAStorageErrorWithoutTheSecret() {
        S3Settings bad = new S3Settings(server.endpoint(), BUCKET, S3ProxyServer.ACCESS_KEY, "not-the-secret-xyz",
                "us-east-1", "bad", S3Settings.MIN_PART_SIZE, false);
        StorageException e = assertThrows(StorageException.class, () -> {
            try (BlobStore s = new S3BlobStore(bad)) {
                s.stat(BlobKey.of("any/key"));
            }
        });
        assertTrue(e.getMessage().contains("any/key"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-secret-xyz"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void missingBucketIsAnOutageNotAbsence() throws Exception {
        S3Settings none = new S3Settings(server.endpoint(), "no-such-bucket-here", S3ProxyServer.ACCESS_KEY,
                S3ProxyServer.SECRET_KEY, "us-east-1", "", S3Settings.MIN_PART_SIZE, false);
        try (BlobStore s = new S3BlobStore(none)) {
            StorageException ping = assertThrows(StorageException.class, s::ping);
            assertTrue(ping.getMessage().contains("NoSuchBucket"), ping.getMessage());
            StorageException get = assertThrows(StorageException.class, () -> s.get(BlobKey.of("a/b")));
            assertTrue(get.getMessage().contains("a/b"), get.getMessage());
            assertThrows(StorageException.class, () -> s.list(""));
        }
    }

    @Test
    void unreachableEndpointIsAStorageError() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        S3Settings down = new S3Settings("http://127.0.0.1:" + port, BUCKET, "a", "b", "us-east-1", "",
                S3Settings.MIN_PART_SIZE, false);
        try (BlobStore s = new S3BlobStore(down)) {
            StorageException e = assertThrows(StorageException.class, () -> s.stat(BlobKey.of("x/y")));
            assertTrue(e.getMessage().contains("x/y"), e.getMessage());
            assertThrows(StorageException.class, s::ping);
        }
    }
}
