package dev.modproxy.audit.events.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal keeps order across segments and reopening, cuts torn or corrupt tails, honours its
 * bound, frees what is committed, and takes appends from many threads at once.
 */
class JournalTest {

    @TempDir
    Path dir;

    private static byte[] rec(int i) {
        return ("event-" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Journal.Entry e) {
        return new String(e.value(), StandardCharsets.UTF_8);
    }

    /** Reads up to {@code max} records. */
    private static List<Journal.Entry> read(Journal j, int max) {
        List<Journal.Entry> out = new ArrayList<>();
        for (Journal.Entry e; out.size() < max && (e = j.read()) != null; ) {
            out.add(e);
        }
        return out;
    }

    private static List<String> texts(List<Journal.Entry> es) {
        return es.stream().map(JournalTest::text).toList();
    }

    private static void commitAll(Journal j, List<Journal.Entry> es) {
        j.commit(es.get(es.size() - 1), es.size(), es.stream().mapToLong(Journal.Entry::bytes).sum());
    }

    @Test
    void readsInAppendOrderAcrossSegmentsAndReopening() throws IOException {
        try (Journal j = new Journal(dir, 1 << 20, 128)) {
            for (int i = 0; i < 50; i++) {
                assertTrue(j.append(null, rec(i)));
            }
            assertEquals(50, j.pendingRecords());
            List<Journal.Entry> first = read(j, 20);
            assertEquals("event-0", text(first.get(0)));
            assertEquals("event-19", text(first.get(19)));
            commitAll(j, first);
            assertEquals(30, j.pendingRecords());
        }
        assertTrue(segments().size() > 1, "small segments roll");
        try (Journal j = new Journal(dir, 1 << 20, 128)) {
            assertEquals(30, j.recovered());
            assertEquals(30, j.pendingRecords());
            List<String> rest = texts(read(j, 1000));
            assertEquals(30, rest.size());
            for (int i = 0; i < 30; i++) {
                assertEquals("event-" + (20 + i), rest.get(i));
            }
            assertTrue(j.caughtUp());
            assertTrue(j.append(null, rec(50)));
            assertFalse(j.caughtUp());
            assertEquals(List.of("event-50"), texts(read(j, 10)));
        }
    }

    @Test
    void keepsKeysIncludingNone() throws IOException {
        try (Journal j = new Journal(dir, 1 << 20, 4096)) {
            j.append("example.com/m".getBytes(StandardCharsets.UTF_8), rec(0));
            j.append(null, rec(1));
            j.append(new byte[0], rec(2));
        }
        try (Journal j = new Journal(dir, 1 << 20, 4096)) {
            List<Journal.Entry> es = read(j, 10);
            assertArrayEquals("example.com/m".getBytes(StandardCharsets.UTF_8), es.get(0).key());
            assertNull(es.get(1).key());
            assertArrayEquals(new byte[0], es.get(2).key());
            assertEquals(List.of("event-0", "event-1", "event-2"), texts(es));
        }
    }

    @Test
    void aBacklogDoesNotStayMappedAndIsReadBackWhole() throws IOException {
        // The broker away: nothing is committed while 200 segments fill up.
        try (Journal j = new Journal(dir, 1 << 24, 4096)) {
            for (int i = 0; i < 20_000; i++) {
                assertTrue(j.append(null, rec(i)));
            }
            j.sync();
            assertTrue(j.mappedSegments() <= 2, "mapped: " + j.mappedSegments());
            List<Journal.Entry> all = read(j, 30_000);
            assertEquals(20_000, all.size());
            assertEquals("event-19999", text(all.get(19_999)));
            j.sync();
            assertTrue(j.mappedSegments() <= 3, "mapped after a read: " + j.mappedSegments());
            // The broker failed mid-window: everything is read again from the released segments.
            j.rewind();
            List<Journal.Entry> again = read(j, 30_000);
            assertEquals(texts(all), texts(again));
        }
    }

    @Test
    void rewindReadsUncommittedRecordsAgain() throws IOException {
        try (Journal j = new Journal(dir, 1 << 20, 64)) {
            for (int i = 0; i < 5; i++) {
                j.append(null, rec(i));
            }
            List<Journal.Entry> a = read(j, 3);
            commitAll(j, a.subList(0, 1));
            j.rewind();
            assertEquals(List.of("event-1", "event-2", "event-3", "event-4"), texts(read(j, 10)));
        }
    }

    @Test
    void refusesAppendsPastItsBoundAndRecordsLargerThanASegment() throws IOException {
        int size = 8 + 2 + rec(0).length;
        try (Journal j = new Journal(dir, 100, 1 << 16)) {
            int accepted = 0;
            while (j.append(null, rec(accepted))) {
                accepted++;
            }
            assertEquals(100 / size, accepted);
            assertTrue(j.pendingBytes() <= 100);
            commitAll(j, read(j, 100));
            assertEquals(0, j.pendingBytes());
            assertTrue(j.append(null, rec(99)), "room again once handed off");
        }
        try (Journal j = new Journal(dir.resolve("small"), 1 << 20, 64)) {
            assertFalse(j.append(null, new byte[64]));
            assertTrue(j.append(null, new byte[64 - 10]));
        }
    }

    @Test
    void cutsATornTailOnReopen() throws IOException {
        try (Journal j = new Journal(dir, 1 << 20, 4096)) {
            for (int i = 0; i < 3; i++) {
                j.append(null, rec(i));
            }
        }
        Path seg = segments().get(0);
        long end = 3L * (8 + 2 + rec(0).length);
        // A process killed mid-append: a length whose body and CRC never arrived.
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{0, 0, 0, 40, 1, 2, 3, 4, 0, 1, 'x'}), end);
        }
        try (Journal j = new Journal(dir, 1 << 20, 4096)) {
            assertEquals(3, j.pendingRecords());
            assertEquals(List.of("event-0", "event-1", "event-2"), texts(read(j, 10)));
            assertTrue(j.append(null, rec(3)));
            assertEquals(List.of("event-3"), texts(read(j, 10)));
        }
        try (Journal j = new Journal(dir, 1 << 20, 4096)) {
            assertEquals(List.of("event-0", "event-1", "event-2", "event-3"), texts(read(j, 10)),
                    "the cut tail stays cut; later appends follow it");
        }
    }

    @Test
    void cutsAtABadCrcAndAtATruncatedRecord() throws IOException {
        int size = 8 + 2 + rec(0).length;
        try (Journal j = new Journal(dir, 1 << 20, 4096)) {
            for (int i = 0; i < 5; i++) {
                j.append(null, rec(i));
            }
        }
        Path seg = segments().get(0);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{'?'}), 3L * size + 12); // a body byte of the 4th record
        }
        try (Journal j = new Journal(dir, 1 << 20, 4096)) {
            assertEquals(List.of("event-0", "event-1", "event-2"), texts(read(j, 10)));
        }

        Path other = dir.resolve("truncated");
        try (Journal j = new Journal(other, 1 << 20, 4096)) {
            for (int i = 0; i < 5; i++) {
                j.append(null, rec(i));
            }
        }
        Path seg2;
        try (Stream<Path> s = Files.list(other)) {
            seg2 = s.filter(p -> p.toString().endsWith(".wal")).sorted().findFirst().orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(seg2, StandardOpenOption.WRITE)) {
            ch.truncate(4L * size + 5);
        }
        try (Journal j = new Journal(other, 1 << 20, 4096)) {
            assertEquals(4, j.pendingRecords());
            assertEquals(List.of("event-0", "event-1", "event-2", "event-3"), texts(read(j, 10)));
        }
    }

    @Test
    void deletesCommittedSegments() throws IOException {
        try (Journal j = new Journal(dir, 1 << 20, 64)) {
            for (int i = 0; i < 40; i++) {
                j.append(null, rec(i));
            }
            assertTrue(segments().size() > 10);
            commitAll(j, read(j, 100));
            assertEquals(0, j.pendingRecords());
            assertEquals(0, j.pendingBytes());
            assertEquals(1, segments().size(), "only the segment being written is left");
            j.sync();
        }
        try (Journal j = new Journal(dir, 1 << 20, 64)) {
            assertEquals(0, j.recovered());
            assertNull(j.read());
            assertEquals(1, segments().size());
        }
    }

    @Test
    void oneProcessAtATime() throws IOException {
        try (Journal j = new Journal(dir, 1 << 20, 4096)) {
            assertThrows(IOException.class, () -> new Journal(dir, 1 << 20, 4096));
        }
        new Journal(dir, 1 << 20, 4096).close();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void manyThreadsAppendEveryRecordOnceInOrder() throws Exception {
        int threads = 8;
        int each = 25_000;
        try (Journal j = new Journal(dir, 1L << 30, 64 << 10)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        assertTrue(j.append(new byte[]{(byte) id}, (id + ":" + i).getBytes(StandardCharsets.UTF_8)));
                    }
                });
                w.start();
                writers.add(w);
            }
            // The single reader runs concurrently, committing and deleting segments as it goes.
            int[] next = new int[threads];
            int total = 0;
            go.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (total < threads * each) {
                assertTrue(System.nanoTime() < deadline, "read only " + total);
                List<Journal.Entry> es = read(j, 1000);
                if (es.isEmpty()) {
                    Thread.onSpinWait();
                    continue;
                }
                for (Journal.Entry e : es) {
                    String[] parts = new String(e.value(), StandardCharsets.UTF_8).split(":");
                    int t = Integer.parseInt(parts[0]);
                    assertEquals(t, e.key()[0]);
                    assertEquals(next[t], Integer.parseInt(parts[1]), "thread " + t + " in order, each once");
                    next[t]++;
                }
                total += es.size();
                commitAll(j, es);
            }
            for (Thread w : writers) {
                w.join();
            }
            assertNull(j.read(), "nothing more than was appended");
            assertEquals(0, j.pendingRecords());
            assertEquals(1, segments().size());
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }
}
