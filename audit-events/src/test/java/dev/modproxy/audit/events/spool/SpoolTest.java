package dev.modproxy.audit.events.spool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spool keeps order, survives reopening and torn tails, honours its bound, and frees what is done. */
class SpoolTest {

    @TempDir
    Path dir;

    private static byte[] rec(int i) {
        return ("event-" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<Spool.Entry> es) {
        List<String> out = new ArrayList<>();
        es.forEach(e -> out.add(new String(e.payload(), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void readsInAppendOrderAcrossSegmentsAndReopening() throws IOException {
        try (Spool s = new Spool(dir, 1 << 20, 100)) {
            for (int i = 0; i < 50; i++) {
                assertTrue(s.append(rec(i)));
            }
            s.sync();
            List<Spool.Entry> first = s.read(20);
            assertEquals("event-0", texts(first).get(0));
            s.commit(first.get(19), 20);
        }
        assertTrue(segments().size() > 1, "small segments rotate");
        try (Spool s = new Spool(dir, 1 << 20, 100)) {
            assertEquals(30, s.pending());
            List<String> rest = texts(s.read(1000));
            assertEquals(30, rest.size());
            for (int i = 0; i < 30; i++) {
                assertEquals("event-" + (20 + i), rest.get(i));
            }
        }
    }

    @Test
    void rewindReadsUncommittedRecordsAgain() throws IOException {
        try (Spool s = new Spool(dir, 1 << 20, 1 << 16)) {
            for (int i = 0; i < 5; i++) {
                s.append(rec(i));
            }
            List<Spool.Entry> a = s.read(3);
            s.commit(a.get(0), 1);
            s.rewind();
            assertEquals(List.of("event-1", "event-2", "event-3", "event-4"), texts(s.read(10)));
        }
    }

    @Test
    void refusesAppendsPastItsBound() throws IOException {
        try (Spool s = new Spool(dir, 100, 1 << 16)) {
            int accepted = 0;
            while (s.append(rec(accepted))) {
                accepted++;
            }
            assertEquals(100 / (8 + "event-0".length()), accepted);
            assertTrue(s.bytes() <= 100);
            List<Spool.Entry> all = s.read(100);
            s.commit(all.get(all.size() - 1), all.size());
            assertTrue(s.isEmpty());
            assertTrue(s.append(rec(99)), "room again once handed off");
        }
    }

    @Test
    void cutsATornTailOnReopen() throws IOException {
        try (Spool s = new Spool(dir, 1 << 20, 1 << 16)) {
            for (int i = 0; i < 3; i++) {
                s.append(rec(i));
            }
        }
        Path seg = segments().get(0);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[]{0, 0, 0, 40, 1, 2, 3, 4, 'x'}));
        }
        try (Spool s = new Spool(dir, 1 << 20, 1 << 16)) {
            assertEquals(3, s.pending());
            assertEquals(List.of("event-0", "event-1", "event-2"), texts(s.read(10)));
            assertTrue(s.append(rec(3)));
            assertEquals(List.of("event-3"), texts(s.read(10)));
        }
    }

    @Test
    void deletesHandedOffSegments() throws IOException {
        try (Spool s = new Spool(dir, 1 << 20, 64)) {
            for (int i = 0; i < 40; i++) {
                s.append(rec(i));
            }
            List<Spool.Entry> all = s.read(100);
            s.commit(all.get(all.size() - 1), all.size());
            assertTrue(s.isEmpty());
            assertFalse(s.pending() > 0);
            assertEquals(0, s.bytes());
        }
        assertEquals(1, segments().size());
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }
}
