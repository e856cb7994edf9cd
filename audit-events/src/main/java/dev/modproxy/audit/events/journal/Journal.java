package dev.modproxy.audit.events.journal;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * A bounded write-ahead journal of records on disk, written through memory-mapped segment files:
 * once {@link #append} returns, the record is in the page cache and survives a kill -9 of the
 * process; {@link #sync} (run periodically) makes it survive a machine crash too. Many threads
 * append; one thread reads, commits and syncs.
 *
 * <p>Layout of the directory:
 * <ul>
 *   <li>{@code <20-digit sequence>.wal}: segments, each mapped at {@code segmentBytes} (sparse
 *       until written), filled in sequence order. A record is
 *       {@code [int32 body length][int32 CRC32C of body][body]}, big-endian, where the body is
 *       {@code [int16 key length, -1 for none][key][value]}. A zero length ends a segment's data
 *       (the rest of a fresh mapping is zeros); a record that does not fit starts the next segment.</li>
 *   <li>{@code position}: {@code "<sequence> <byte offset>\n"}, the first record not yet committed,
 *       replaced atomically (write, fsync, rename) at each sync. A stale position only repeats
 *       records (at least once; readers dedupe).</li>
 *   <li>{@code lock}: held while open, so two processes never share a journal.</li>
 * </ul>
 * Recovery (at open): segments before the position are deleted; every other segment is scanned
 * from the position and cut at its first zero, torn (length past the end) or bad-CRC record —
 * the tail of a process killed mid-append, whose length or CRC does not match. Appends then go to
 * a new segment, so a cut tail is never overwritten in place. Fully committed segments are
 * deleted (and unmapped) by the reader.
 *
 * <p>Bounded: an append that would take the uncommitted records past {@code maxBytes} is refused
 * (the caller counts a dropped record); so is one larger than a segment.
 */
public final class Journal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Journal.class.getName());
    static final int HEADER = 8;
    private static final int KEY_LEN = 2;
    private static final String SUFFIX = ".wal";

    private final Path dir;
    private final long maxBytes;
    private final int segmentBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;

    // Writer side, guarded by "this". Fields read by the reader are volatile.
    private Segment tail;
    private boolean closed;
    private volatile long appendedBytes;
    private volatile long appendedRecords;

    // Reader side: one thread.
    private Segment head;
    private Segment commitSeg;
    private int commitOffset;
    private Segment readSeg;
    private int readOffset;
    private volatile long committedBytes;
    private volatile long committedRecords;
    private long persistedSeq = -1;
    private long persistedOffset = -1;
    private final long recoveredRecords;

    /** One segment file and its mapping. {@code limit} publishes appended records to the reader. */
    private static final class Segment {
        final long seq;
        final Path path;
        // Null for an empty file found at recovery, and for a sealed segment the reader has
        // released (see sync); the reader maps it again if it must read it once more.
        MappedByteBuffer map;
        final int capacity;
        int writeOffset;            // writer only
        volatile int limit;         // end of the last complete record
        volatile boolean sealed;    // no more appends; next is set
        volatile Segment next;
        int forced;                 // reader: bytes known forced to disk

        Segment(long seq, Path path, MappedByteBuffer map, int capacity) {
            this.seq = seq;
            this.path = path;
            this.map = map;
            this.capacity = capacity;
        }
    }

    /** A record read from the journal; {@link #commit} it once it is handed off. */
    public record Entry(byte[] key, byte[] value, int bytes, Object segment, int nextOffset) {
    }

    public Journal(Path dir, long maxBytes, int segmentBytes) throws IOException {
        if (segmentBytes < 64) {
            throw new IllegalArgumentException("segment size too small: " + segmentBytes);
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = lockChannel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            held = null;
        }
        this.lock = held;
        if (lock == null) {
            lockChannel.close();
            throw new IOException("journal " + dir + " is in use by another process");
        }
        try {
            this.recoveredRecords = recover();
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- recovery

    private long recover() throws IOException {
        List<Long> seqs = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(SUFFIX) && n.length() == 20 + SUFFIX.length()) {
                    seqs.add(Long.parseLong(n.substring(0, 20)));
                } else if (n.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
        seqs.sort(null);
        long[] pos = readPosition();
        long cSeq = pos[0];
        long cOff = pos[1];
        while (!seqs.isEmpty() && seqs.get(0) < cSeq) {
            Files.deleteIfExists(segmentPath(seqs.remove(0)));
        }
        if (seqs.isEmpty() || seqs.get(0) > cSeq) {
            cOff = 0; // the committed segment is gone: everything left is uncommitted
        }
        long records = 0;
        long bytes = 0;
        Segment prev = null;
        for (long seq : seqs) {
            Segment s = openExisting(seq);
            int from = seq == cSeq ? (int) Math.min(cOff, s.capacity) : 0;
            long[] scanned = scan(s, from);
            s.limit = s.writeOffset = (int) scanned[0];
            s.forced = s.limit;
            records += scanned[1];
            bytes += s.limit - from;
            if (s.limit + HEADER <= s.capacity && s.map != null && s.map.getInt(s.limit) != 0) {
                LOG.warning("audit journal: cut segment " + s.path.getFileName() + " at " + s.limit
                        + " (a record torn by a crash)");
                s.map.putInt(s.limit, 0); // so the next recovery finds a clean end here
                s.map.force();
            }
            if (prev == null) {
                head = s;
            } else {
                prev.next = s;
                prev.sealed = true;
            }
            if (commitSeg == null) {
                // The first segment left: it holds the position, or the position is gone.
                commitSeg = s;
                commitOffset = from;
            }
            prev = s;
        }
        long activeSeq = prev == null ? Math.max(cSeq, 0) : prev.seq + 1;
        tail = newSegment(activeSeq);
        if (prev == null) {
            head = tail;
        } else {
            prev.next = tail;
            prev.sealed = true;
        }
        if (commitSeg == null) {
            commitSeg = tail;
            commitOffset = 0;
        }
        readSeg = commitSeg;
        readOffset = commitOffset;
        appendedBytes = bytes;
        appendedRecords = records;
        dropFinishedSegments();
        persistPosition();
        return records;
    }

    private Segment openExisting(long seq) throws IOException {
        Path p = segmentPath(seq);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = Math.min(ch.size(), Integer.MAX_VALUE);
            if (size < HEADER) {
                return new Segment(seq, p, null, 0);
            }
            return new Segment(seq, p, ch.map(FileChannel.MapMode.READ_WRITE, 0, size), (int) size);
        }
    }

    /** The end of the last good record from {@code from}, and how many good records there are. */
    private static long[] scan(Segment s, int from) {
        int pos = from;
        long n = 0;
        if (s.map == null) {
            return new long[]{0, 0};
        }
        CRC32C crc = new CRC32C();
        while (pos + HEADER <= s.capacity) {
            int len = s.map.getInt(pos);
            if (len < KEY_LEN || len > s.capacity - pos - HEADER) {
                break; // zero: end of data; anything else: torn
            }
            int keyLen = s.map.getShort(pos + HEADER);
            if (keyLen < -1 || keyLen > len - KEY_LEN) {
                break;
            }
            crc.reset();
            crc.update(s.map.slice(pos + HEADER, len));
            if ((int) crc.getValue() != s.map.getInt(pos + 4)) {
                break;
            }
            pos += HEADER + len;
            n++;
        }
        return new long[]{pos, n};
    }

    // ---------------------------------------------------------------- writers

    /**
     * Appends a record (any thread). False, with nothing written, when the journal is full or
     * closed, the record is larger than a segment, or a new segment could not be made.
     */
    public boolean append(byte[] key, byte[] value) {
        int keyLen = key == null ? -1 : key.length;
        int bodyLen = KEY_LEN + Math.max(keyLen, 0) + value.length;
        int need = HEADER + bodyLen;
        if (keyLen > Short.MAX_VALUE || need > segmentBytes) {
            return false;
        }
        // The CRC outside the lock: appends only serialise on the copy.
        CRC32C crc = new CRC32C();
        crc.update(keyLen >>> 8);
        crc.update(keyLen);
        if (key != null) {
            crc.update(key, 0, key.length);
        }
        crc.update(value, 0, value.length);
        int sum = (int) crc.getValue();
        synchronized (this) {
            if (closed || appendedBytes + need - committedBytes > maxBytes) {
                return false;
            }
            Segment s = tail;
            if (s.writeOffset + need > s.capacity) {
                s = roll();
                if (s == null) {
                    return false;
                }
            }
            int at = s.writeOffset;
            MappedByteBuffer m = s.map;
            try {
                m.putShort(at + HEADER, (short) keyLen);
                if (key != null) {
                    m.put(at + HEADER + KEY_LEN, key);
                }
                m.put(at + HEADER + KEY_LEN + Math.max(keyLen, 0), value);
                m.putInt(at + 4, sum);
                m.putInt(at, bodyLen); // the length last: until it is there, recovery sees the end
            } catch (InternalError diskFull) {
                // A write into a sparse mapping the file system cannot back (SIGBUS, e.g. disk full).
                m.putInt(at, 0);
                return false;
            }
            s.writeOffset = at + need;
            s.limit = at + need;
            appendedBytes += need;
            appendedRecords++;
            return true;
        }
    }

    /** Starts the next segment (rare: the syscalls are fine here). Null if it cannot be made. */
    private Segment roll() {
        Segment old = tail;
        try {
            Segment s = newSegment(old.seq + 1);
            old.next = s;
            tail = s;
            old.sealed = true;
            return s;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "audit journal: cannot start a new segment: " + e, e);
            return null;
        }
    }

    private Segment newSegment(long seq) throws IOException {
        Path p = segmentPath(seq);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            // Mapping past the end grows the file (sparse): no disk is written until records are.
            return new Segment(seq, p, ch.map(FileChannel.MapMode.READ_WRITE, 0, segmentBytes), segmentBytes);
        }
    }

    // ---------------------------------------------------------------- the reader thread

    /** The next record after the read cursor, or null when the reader has caught up. */
    public Entry read() {
        while (true) {
            Segment s = readSeg;
            int limit = s.limit;
            if (readOffset < limit) {
                MappedByteBuffer m = mapped(s);
                int at = readOffset;
                int len = m.getInt(at);
                int keyLen = m.getShort(at + HEADER);
                byte[] key = null;
                if (keyLen >= 0) {
                    key = new byte[keyLen];
                    m.get(at + HEADER + KEY_LEN, key);
                }
                byte[] value = new byte[len - KEY_LEN - Math.max(keyLen, 0)];
                m.get(at + HEADER + KEY_LEN + Math.max(keyLen, 0), value);
                readOffset = at + HEADER + len;
                return new Entry(key, value, HEADER + len, s, readOffset);
            }
            // Sealed is set after the segment's last limit: read it first, then the limit again.
            if (!s.sealed) {
                return null;
            }
            if (readOffset < s.limit) {
                continue;
            }
            readSeg = s.next;
            readOffset = 0;
        }
    }

    /** True when the read cursor is at the end of everything appended so far. */
    public boolean caughtUp() {
        Segment s = readSeg;
        int off = readOffset;
        while (true) {
            if (off < s.limit) {
                return false;
            }
            if (!s.sealed) {
                return true;
            }
            if (off < s.limit) {
                return false;
            }
            s = s.next;
            off = 0;
        }
    }

    /** Moves the read cursor back to the committed position: what was read will be read again. */
    public void rewind() {
        readSeg = commitSeg;
        readOffset = commitOffset;
    }

    /**
     * Everything up to and including {@code last} is handed off ({@code records} records,
     * {@code bytes} bytes): fully committed segments are deleted. The position file follows at
     * the next {@link #sync}.
     */
    public void commit(Entry last, long records, long bytes) {
        commitSeg = (Segment) last.segment();
        commitOffset = last.nextOffset();
        committedRecords += records;
        committedBytes += bytes;
        dropFinishedSegments();
    }

    private void dropFinishedSegments() {
        while (head != commitSeg || (head.sealed && commitOffset >= head.limit)) {
            Segment done = head;
            if (done == commitSeg) {
                commitSeg = done.next;
                commitOffset = 0;
            }
            if (readSeg == done) {
                readSeg = done.next;
                readOffset = 0;
            }
            head = done.next;
            unmap(done.map);
            try {
                Files.deleteIfExists(done.path);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "audit journal: cannot delete " + done.path + ": " + e, e);
            }
        }
    }

    /**
     * Forces every appended byte to disk (for machine crashes; a process crash loses nothing
     * already appended) and persists the committed position. Reader thread.
     */
    public void sync() throws IOException {
        for (Segment s = head; s != null; s = s.next) {
            int limit = s.limit;
            if (s.map != null && limit > s.forced) {
                s.map.force(s.forced, limit - s.forced);
                s.forced = limit;
            }
            // A sealed, forced segment the reader is not on is released: mapped pages count as
            // the process's memory, and while the broker is away the backlog would otherwise
            // keep the whole journal (up to maxBytes) mapped. The writer never touches a sealed
            // segment, so only this thread uses its mapping.
            if (s.sealed && s != readSeg && s.map != null && s.forced >= s.limit) {
                unmap(s.map);
                s.map = null;
            }
        }
        persistPosition();
    }

    /** Segments currently mapped (for tests: the backlog must not stay mapped). */
    int mappedSegments() {
        int n = 0;
        for (Segment s = head; s != null; s = s.next) {
            n += s.map != null ? 1 : 0;
        }
        return n;
    }

    /** The segment's mapping, mapped again (read only) if {@link #sync} released it. Reader thread. */
    private MappedByteBuffer mapped(Segment s) {
        if (s.map == null) {
            try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
                s.map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("audit journal: cannot map " + s.path + " again: " + e, e);
            }
        }
        return s.map;
    }

    private void persistPosition() throws IOException {
        if (commitSeg.seq == persistedSeq && commitOffset == persistedOffset) {
            return;
        }
        Path tmp = dir.resolve("position.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((commitSeg.seq + " " + commitOffset + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, dir.resolve("position"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        persistedSeq = commitSeg.seq;
        persistedOffset = commitOffset;
    }

    private long[] readPosition() throws IOException {
        Path p = dir.resolve("position");
        if (!Files.exists(p)) {
            return new long[]{0, 0};
        }
        String[] parts = Files.readString(p, StandardCharsets.US_ASCII).trim().split(" ");
        try {
            return new long[]{Long.parseLong(parts[0]), Math.max(0, Long.parseLong(parts[1]))};
        } catch (RuntimeException damaged) {
            // A position we cannot read: replay everything on disk (duplicates, never loss).
            return new long[]{0, 0};
        }
    }

    // ---------------------------------------------------------------- figures (any thread)

    /** Bytes of records appended and not yet committed. */
    public long pendingBytes() {
        return Math.max(0, appendedBytes - committedBytes);
    }

    /** Records appended and not yet committed (across restarts too). */
    public long pendingRecords() {
        return Math.max(0, appendedRecords - committedRecords);
    }

    /** Records appended since open (not counting those recovered). */
    public long appended() {
        return appendedRecords - recoveredRecords;
    }

    /** Uncommitted records found at open (left by an earlier run). */
    public long recovered() {
        return recoveredRecords;
    }

    public long maxBytes() {
        return maxBytes;
    }

    private Path segmentPath(long seq) {
        return dir.resolve(String.format("%020d", seq) + SUFFIX);
    }

    /** Refuses further appends (any thread); appends under way finish first. */
    public synchronized void closeForAppends() {
        closed = true;
    }

    /** Syncs and releases everything. Call from the reader thread, or once it has stopped. */
    @Override
    public void close() throws IOException {
        if (!lockChannel.isOpen()) {
            return;
        }
        closeForAppends();
        try {
            sync();
        } finally {
            for (Segment s = head; s != null; s = s.next) {
                unmap(s.map);
            }
            lock.release();
            head = tail = readSeg = commitSeg = null;
            lockChannel.close();
        }
    }

    // Unmapping at once rather than at some later GC: a deleted segment's disk space is only
    // freed when its mapping goes. Safe here: only the reader (or close, after appends stopped)
    // unmaps, and never a segment anybody still reads or writes.
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method cleaner = null;
        try {
            Class<?> c = Class.forName("sun.misc.Unsafe");
            Field f = c.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = f.get(null);
            cleaner = c.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Left to the garbage collector.
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = cleaner;
    }

    private static void unmap(MappedByteBuffer m) {
        if (m == null || INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Left to the garbage collector.
        }
    }
}
