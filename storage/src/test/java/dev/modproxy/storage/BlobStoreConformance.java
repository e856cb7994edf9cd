package dev.modproxy.storage;

import dev.modproxy.storage.BlobStore.WriteMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link BlobStore} contract, as tests. Each backend runs all of it by extending this class
 * and saying how to open a fresh, empty store.
 */
public abstract class BlobStoreConformance {

    /** A fresh, empty store for one test. Closed after the test. */
    protected abstract BlobStore openStore() throws Exception;

    /** Bytes after which {@link #failedStreamLeavesNothing} breaks a stream that spans several parts. */
    protected long largeFailurePoint() {
        return 7L * 1024 * 1024;
    }

    protected BlobStore store;

    @BeforeEach
    void openFreshStore() throws Exception {
        store = openStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---------------------------------------------------------------- basics

    @Test
    void roundTrip() throws Exception {
        BlobKey key = BlobKey.of("example.com/!foo/@v/v1.0.0.zip");
        byte[] content = bytes("hello, modules");
        assertTrue(store.put(key, new ByteArrayInputStream(content), content.length, WriteMode.IMMUTABLE));

        BlobInfo info = store.stat(key).orElseThrow();
        assertEquals(key, info.key());
        assertEquals(content.length, info.size());
        assertFalse(info.etag().isEmpty());
        assertTrue(info.lastModified() != null);

        try (Blob blob = store.get(key).orElseThrow()) {
            assertEquals(info.size(), blob.info().size());
            assertEquals(info.etag(), blob.info().etag());
            assertArrayEquals(content, blob.stream().readAllBytes());
        }
    }

    @Test
    void emptyBlobRoundTrip() throws Exception {
        BlobKey key = BlobKey.of("empty/blob");
        assertTrue(store.put(key, InputStream.nullInputStream(), 0, WriteMode.REPLACE));
        assertEquals(0, store.stat(key).orElseThrow().size());
        try (Blob blob = store.get(key).orElseThrow()) {
            assertEquals(0, blob.stream().readAllBytes().length);
        }
        try (Blob blob = store.get(key, 0, 10).orElseThrow()) {
            assertEquals(0, blob.stream().readAllBytes().length);
        }
    }

    @Test
    void unknownSizeIsStreamed() throws Exception {
        BlobKey key = BlobKey.of("unknown/size");
        byte[] content = bytes("size not given up front");
        assertTrue(store.put(key, new ByteArrayInputStream(content), -1, WriteMode.REPLACE));
        assertArrayEquals(content, readAll(key));
    }

    @Test
    void sizeMismatchStoresNothing() throws Exception {
        BlobKey key = BlobKey.of("short/stream");
        byte[] content = bytes("twelve bytes");
        assertThrows(StorageException.class,
                () -> store.put(key, new ByteArrayInputStream(content), content.length + 1, WriteMode.IMMUTABLE));
        assertEquals(Optional.empty(), store.stat(key));
        assertEquals(List.of(), store.list(""));
    }

    @Test
    void absentIsEmpty() throws Exception {
        BlobKey key = BlobKey.of("no/such/blob");
        assertEquals(Optional.empty(), store.stat(key));
        assertEquals(Optional.empty(), store.get(key));
        assertEquals(Optional.empty(), store.get(key, 0, 10));
        assertEquals(List.of(), store.list("no/"));
        store.delete(key); // deleting nothing is fine
    }

    @Test
    void keyPrefixOfABlobIsNotABlob() throws Exception {
        BlobKey key = BlobKey.of("dir/file");
        put(key, "x", WriteMode.IMMUTABLE);
        assertEquals(Optional.empty(), store.stat(BlobKey.of("dir")));
        assertEquals(Optional.empty(), store.get(BlobKey.of("dir")));
        assertEquals(Optional.empty(), store.stat(BlobKey.of("dir/file/below")));
    }

    // ---------------------------------------------------------------- ranges

    @Test
    void ranges() throws Exception {
        BlobKey key = BlobKey.of("ranges/blob");
        byte[] content = new byte[1000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        assertTrue(store.put(key, new ByteArrayInputStream(content), content.length, WriteMode.IMMUTABLE));

        assertArrayEquals(Arrays.copyOfRange(content, 0, 10), range(key, 0, 10), "start");
        assertArrayEquals(Arrays.copyOfRange(content, 400, 700), range(key, 400, 300), "middle");
        assertArrayEquals(Arrays.copyOfRange(content, 990, 1000), range(key, 990, 10), "end");
        assertArrayEquals(Arrays.copyOfRange(content, 995, 1000), range(key, 995, 100), "past end is cut short");
        assertArrayEquals(new byte[0], range(key, 1000, 10), "starting at the end");
        assertArrayEquals(new byte[0], range(key, 5000, 10), "starting past the end");
        assertArrayEquals(new byte[0], range(key, 10, 0), "zero length");
        assertArrayEquals(content, range(key, 0, Long.MAX_VALUE), "everything");
        assertArrayEquals(Arrays.copyOfRange(content, 5, 1000), range(key, 5, Long.MAX_VALUE), "to the end");

        try (Blob blob = store.get(key, 400, 300).orElseThrow()) {
            assertEquals(content.length, blob.info().size(), "info describes the whole blob");
            assertEquals(store.stat(key).orElseThrow().etag(), blob.info().etag());
        }
    }

    // ---------------------------------------------------------------- write modes

    @Test
    void immutableSecondWriteIsRefused() throws Exception {
        BlobKey key = BlobKey.of("mod/@v/v1.0.0.zip");
        assertTrue(put(key, "first", WriteMode.IMMUTABLE));
        BlobInfo before = store.stat(key).orElseThrow();

        assertFalse(put(key, "second, longer", WriteMode.IMMUTABLE));

        assertArrayEquals(bytes("first"), readAll(key));
        BlobInfo after = store.stat(key).orElseThrow();
        assertEquals(before.size(), after.size());
        assertEquals(before.etag(), after.etag());
        assertEquals(List.of(key), store.list(""));
    }

    @Test
    void replaceSwapsAndChangesStat() throws Exception {
        BlobKey key = BlobKey.of("mod/@v/list");
        assertTrue(put(key, "v1.0.0\n", WriteMode.REPLACE));
        BlobInfo first = store.stat(key).orElseThrow();

        assertTrue(put(key, "v1.0.0\nv1.1.0\n", WriteMode.REPLACE));
        BlobInfo second = store.stat(key).orElseThrow();
        assertArrayEquals(bytes("v1.0.0\nv1.1.0\n"), readAll(key));
        assertEquals(14, second.size());
        assertNotEquals(first.etag(), second.etag());

        // Same size, different content: the etag must still change.
        assertTrue(put(key, "v2.0.0\nv2.1.0\n", WriteMode.REPLACE));
        BlobInfo third = store.stat(key).orElseThrow();
        assertEquals(second.size(), third.size());
        assertNotEquals(second.etag(), third.etag());
        assertArrayEquals(bytes("v2.0.0\nv2.1.0\n"), readAll(key));
    }

    @Test
    void replaceCreatesWhenAbsent() throws Exception {
        BlobKey key = BlobKey.of("new/cache");
        assertTrue(put(key, "x", WriteMode.REPLACE));
        assertArrayEquals(bytes("x"), readAll(key));
    }

    @Test
    void openReadSurvivesReplace() throws Exception {
        BlobKey key = BlobKey.of("read/while/replaced");
        assertTrue(put(key, "old content", WriteMode.REPLACE));
        try (Blob blob = store.get(key).orElseThrow()) {
            assertTrue(put(key, "new content, different", WriteMode.REPLACE));
            byte[] got = blob.stream().readAllBytes();
            assertEquals(blob.info().size(), got.length, "the stream matches the info it came with");
        }
    }

    // ---------------------------------------------------------------- list and delete

    @Test
    void listByPrefixIsSortedAndExact() throws Exception {
        List<String> names = List.of("b/x", "a/c/d", "a/b", "a/c/e", "ab", "a/c2", "z");
        for (String n : names) {
            put(BlobKey.of(n), n, WriteMode.IMMUTABLE);
        }
        assertEquals(keys("a/b", "a/c/d", "a/c/e", "a/c2", "ab", "b/x", "z"), store.list(""));
        assertEquals(keys("a/b", "a/c/d", "a/c/e", "a/c2", "ab"), store.list("a"));
        assertEquals(keys("a/b", "a/c/d", "a/c/e", "a/c2"), store.list("a/"));
        assertEquals(keys("a/c/d", "a/c/e", "a/c2"), store.list("a/c"));
        assertEquals(keys("a/c/d", "a/c/e"), store.list("a/c/"));
        assertEquals(keys("a/c/e"), store.list("a/c/e"));
        assertEquals(List.of(), store.list("a/c/f"));
        assertEquals(List.of(), store.list("q"));
        assertEquals(List.of(), store.list("a//"));
    }

    @Test
    void listShowsNoInFlightWrite() throws Exception {
        BlobKey done = BlobKey.of("inflight/done");
        put(done, "done", WriteMode.IMMUTABLE);
        BlobKey key = BlobKey.of("inflight/pending");
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InputStream slow = new GeneratedStream(2 * 1024 * 1024, 3) {
            @Override
            protected void reached(long position) throws IOException {
                if (position >= 1024 * 1024 && halfway.getCount() > 0) {
                    halfway.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> writer = pool.submit(() -> store.put(key, slow, -1, WriteMode.IMMUTABLE));
            assertTrue(halfway.await(30, TimeUnit.SECONDS));
            assertEquals(List.of(done), store.list(""));
            assertEquals(List.of(done), store.list("inflight/"));
            assertEquals(Optional.empty(), store.stat(key));
            assertEquals(Optional.empty(), store.get(key));
            release.countDown();
            assertTrue(writer.get(60, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertEquals(keys("inflight/done", "inflight/pending"), store.list(""));
    }

    @Test
    void deleteRemoves() throws Exception {
        BlobKey a = BlobKey.of("del/a");
        BlobKey b = BlobKey.of("del/b");
        put(a, "a", WriteMode.IMMUTABLE);
        put(b, "b", WriteMode.IMMUTABLE);
        store.delete(a);
        assertEquals(Optional.empty(), store.stat(a));
        assertEquals(Optional.empty(), store.get(a));
        assertEquals(List.of(b), store.list("del/"));
        store.delete(a);
        // After a delete an IMMUTABLE write may happen again.
        assertTrue(put(a, "a2", WriteMode.IMMUTABLE));
        assertArrayEquals(bytes("a2"), readAll(a));
    }

    @Test
    void ping() throws Exception {
        store.ping();
    }

    // ---------------------------------------------------------------- streaming, concurrency, failure

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void largeStreamedRoundTrip() throws Exception {
        long size = 64L * 1024 * 1024;
        BlobKey key = BlobKey.of("large/blob.zip");
        GeneratedStream source = new GeneratedStream(size, 42);
        assertTrue(store.put(key, source, -1, WriteMode.IMMUTABLE));
        String written = source.sha256();

        assertEquals(size, store.stat(key).orElseThrow().size());
        try (Blob blob = store.get(key).orElseThrow()) {
            assertEquals(size, blob.info().size());
            assertEquals(written, sha256(blob.stream()));
        }
        // A range across the middle matches the generator.
        long offset = size / 2 - 1000;
        try (Blob blob = store.get(key, offset, 5000).orElseThrow()) {
            GeneratedStream expected = new GeneratedStream(size, 42);
            expected.skipNBytes(offset);
            assertArrayEquals(expected.readNBytes(5000), blob.stream().readAllBytes());
        }
        assertEquals(new GeneratedStream(size, 42).sha256OfRest(), written);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void concurrentImmutableWritersExactlyOneWins() throws Exception {
        BlobKey key = BlobKey.of("race/@v/v1.0.0.zip");
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] content = bytes("writer " + i + " ".repeat(5000));
                Callable<Boolean> task = () -> {
                    start.await();
                    return store.put(key, new ByteArrayInputStream(content), content.length, WriteMode.IMMUTABLE);
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> r : results) {
                if (r.get(60, TimeUnit.SECONDS)) {
                    winners++;
                }
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
        String stored = new String(readAll(key), StandardCharsets.UTF_8);
        assertTrue(stored.startsWith("writer "), stored.substring(0, Math.min(20, stored.length())));
        assertEquals(List.of(key), store.list(""));
    }

    @Test
    void failedStreamLeavesNothing() throws Exception {
        for (long failAfter : new long[] {0, 1000, largeFailurePoint()}) {
            BlobKey key = BlobKey.of("failed/after-" + failAfter);
            for (WriteMode mode : WriteMode.values()) {
                InputStream broken = new GeneratedStream(64L * 1024 * 1024, 7) {
                    @Override
                    protected void reached(long position) throws IOException {
                        if (position >= failAfter) {
                            throw new IOException("upstream connection reset (test)");
                        }
                    }
                };
                assertThrows(StorageException.class, () -> store.put(key, broken, -1, mode), mode + " " + failAfter);
                assertEquals(Optional.empty(), store.stat(key));
                assertEquals(Optional.empty(), store.get(key));
                assertEquals(List.of(), store.list(""));
            }
        }
        // A failed REPLACE leaves the previous blob alone.
        BlobKey cache = BlobKey.of("failed/cache");
        put(cache, "old", WriteMode.REPLACE);
        InputStream broken = new GeneratedStream(1024 * 1024, 9) {
            @Override
            protected void reached(long position) throws IOException {
                if (position >= 100) {
                    throw new IOException("boom (test)");
                }
            }
        };
        assertThrows(StorageException.class, () -> store.put(cache, broken, -1, WriteMode.REPLACE));
        assertArrayEquals(bytes("old"), readAll(cache));
        assertEquals(List.of(cache), store.list(""));
    }

    // ---------------------------------------------------------------- helpers

    protected boolean put(BlobKey key, String content, WriteMode mode) throws StorageException {
        byte[] b = bytes(content);
        return store.put(key, new ByteArrayInputStream(b), b.length, mode);
    }

    protected byte[] readAll(BlobKey key) throws IOException {
        try (Blob blob = store.get(key).orElseThrow()) {
            return blob.stream().readAllBytes();
        }
    }

    private byte[] range(BlobKey key, long offset, long length) throws IOException {
        try (Blob blob = store.get(key, offset, length).orElseThrow()) {
            return blob.stream().readAllBytes();
        }
    }

    private static List<BlobKey> keys(String... names) {
        return Arrays.stream(names).map(BlobKey::of).toList();
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) != -1) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
