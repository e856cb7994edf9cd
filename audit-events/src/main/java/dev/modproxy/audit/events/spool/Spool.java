package dev.modproxy.audit.events.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A bounded, append-only queue of records on disk: where audit events wait while the broker is away.
 *
 * <p>Layout of the directory:
 * <ul>
 *   <li>{@code <20-digit sequence>.seg}: segment files, appended to in sequence order; a new one
 *       starts when the current one passes {@code segmentBytes}. Each record is
 *       {@code [int32 length][int32 CRC32C of payload][payload]}, big-endian.</li>
 *   <li>{@code position}: {@code "<sequence> <byte offset>\n"}, the first record not yet handed
 *       off (committed). Replaced atomically (write, fsync, rename), so a crash leaves the old or
 *       the new position, and at worst replays records again (at least once; readers dedupe).</li>
 * </ul>
 * Segments wholly before the committed position are deleted. On open, every segment is scanned:
 * a torn or corrupt tail (a crash mid-append, before the batch fsync) is cut off at the last good
 * record. Appends are made durable by {@link #sync()}, which the caller runs in batches.
 *
 * <p>Bounded: an append that would take the segments past {@code maxBytes} is refused, and the
 * caller counts a dropped event. Not thread-safe: one thread (the publisher's sender) owns it.
 */
public final class Spool implements AutoCloseable {

    private static final int HEADER = 8;
    private static final int MAX_RECORD = 16 * 1024 * 1024;

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;

    /** Segment sequence → size in bytes, for every segment on disk. */
    private final TreeMap<Long, Long> segments = new TreeMap<>();
    private long totalBytes;
    private long pendingRecords;

    private FileChannel writer;
    private long writerSeq;
    private boolean unsynced;

    // Committed position (persisted) and read cursor (ahead of it while records are in flight).
    private long commitSeq;
    private long commitOffset;
    private long readSeq;
    private long readOffset;
    private FileChannel reader;
    private long readerSeq = -1;

    /** A record read from the spool, and where the spool continues after it. */
    public record Entry(byte[] payload, long nextSeq, long nextOffset) {
    }

    public Spool(Path dir, long maxBytes, long segmentBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        Files.createDirectories(dir);
        open();
    }

    private void open() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".seg") && n.length() == 24) {
                    segments.put(Long.parseLong(n.substring(0, 20)), Files.size(p));
                } else if (n.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
        readPosition();
        // Drop segments the position says are done (a crash between commit and delete).
        while (!segments.isEmpty() && segments.firstKey() < commitSeq) {
            Files.deleteIfExists(segment(segments.pollFirstEntry().getKey()));
        }
        if (segments.isEmpty() || commitSeq < segments.firstKey()) {
            commitSeq = segments.isEmpty() ? Math.max(commitSeq, 0) : segments.firstKey();
            commitOffset = 0;
        }
        for (var e : new ArrayList<>(segments.entrySet())) {
            long from = e.getKey() == commitSeq ? commitOffset : 0;
            long good = scan(e.getKey(), from);
            if (good < e.getValue()) {
                try (FileChannel ch = FileChannel.open(segment(e.getKey()), StandardOpenOption.WRITE)) {
                    ch.truncate(good);
                    ch.force(true);
                }
                segments.put(e.getKey(), good);
            }
        }
        totalBytes = segments.values().stream().mapToLong(Long::longValue).sum();
        writerSeq = segments.isEmpty() ? commitSeq : segments.lastKey();
        writer = FileChannel.open(segment(writerSeq), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        writer.position(writer.size());
        segments.putIfAbsent(writerSeq, 0L);
        readSeq = commitSeq;
        readOffset = commitOffset;
    }

    /** Counts the good records of a segment from {@code from}; returns the end of the last good one. */
    private long scan(long seq, long from) throws IOException {
        try (FileChannel ch = FileChannel.open(segment(seq), StandardOpenOption.READ)) {
            long pos = from;
            long size = ch.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos + HEADER <= size) {
                header.clear();
                ch.read(header, pos);
                int len = header.getInt(0);
                int crc = header.getInt(4);
                if (len < 0 || len > MAX_RECORD || pos + HEADER + len > size) {
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(len);
                ch.read(body, pos + HEADER);
                if (crc(body.array()) != crc) {
                    break;
                }
                pos += HEADER + len;
                pendingRecords++;
            }
            return pos;
        }
    }

    /** Appends a record; false (nothing written) if the spool is full. */
    public boolean append(byte[] payload) throws IOException {
        long need = HEADER + payload.length;
        if (totalBytes + need > maxBytes) {
            return false;
        }
        if (segments.get(writerSeq) > 0 && segments.get(writerSeq) + need > segmentBytes) {
            sync();
            writer.close();
            writerSeq++;
            writer = FileChannel.open(segment(writerSeq), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            segments.put(writerSeq, 0L);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) need);
        buf.putInt(payload.length).putInt(crc(payload)).put(payload).flip();
        while (buf.hasRemaining()) {
            writer.write(buf);
        }
        segments.merge(writerSeq, need, Long::sum);
        totalBytes += need;
        pendingRecords++;
        unsynced = true;
        return true;
    }

    /** Makes every append so far durable (one fsync for the whole batch). */
    public void sync() throws IOException {
        if (unsynced) {
            writer.force(false);
            unsynced = false;
        }
    }

    /** Up to {@code max} records after the read cursor, in append order; moves the cursor past them. */
    public List<Entry> read(int max) throws IOException {
        List<Entry> out = new ArrayList<>();
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (out.size() < max) {
            Long size = segments.get(readSeq);
            if (size == null) {
                break;
            }
            if (readOffset >= size) {
                if (readSeq >= writerSeq) {
                    break;
                }
                readSeq = segments.higherKey(readSeq);
                readOffset = 0;
                continue;
            }
            FileChannel ch = readerFor(readSeq);
            header.clear();
            ch.read(header, readOffset);
            int len = header.getInt(0);
            ByteBuffer body = ByteBuffer.allocate(len);
            ch.read(body, readOffset + HEADER);
            readOffset += HEADER + len;
            out.add(new Entry(body.array(), readSeq, readOffset));
        }
        return out;
    }

    /** Moves the read cursor back to the committed position: what was read will be read again. */
    public void rewind() {
        readSeq = commitSeq;
        readOffset = commitOffset;
    }

    /** Everything up to and including {@code e} is handed off: persist that, free what is done. */
    public void commit(Entry e, long records) throws IOException {
        commitSeq = e.nextSeq();
        commitOffset = e.nextOffset();
        pendingRecords = Math.max(0, pendingRecords - records);
        writePosition();
        while (segments.firstKey() < commitSeq) {
            long seq = segments.firstKey();
            if (seq == readerSeq) {
                reader.close();
                readerSeq = -1;
            }
            totalBytes -= segments.remove(seq);
            Files.deleteIfExists(segment(seq));
        }
        // The whole spool is handed off: start afresh so the files do not grow without end.
        if (commitSeq == writerSeq && commitOffset == segments.get(writerSeq) && commitOffset > 0) {
            sync();
            writer.close();
            if (readerSeq == writerSeq) {
                reader.close();
                readerSeq = -1;
            }
            long old = writerSeq;
            writerSeq++;
            writer = FileChannel.open(segment(writerSeq), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            segments.put(writerSeq, 0L);
            commitSeq = readSeq = writerSeq;
            commitOffset = readOffset = 0;
            writePosition();
            totalBytes -= segments.remove(old);
            Files.deleteIfExists(segment(old));
        }
    }

    /** True when every record appended has been committed. */
    public boolean isEmpty() {
        return commitSeq == writerSeq && commitOffset == segments.get(writerSeq);
    }

    /** True when nothing is left to read past the cursor. */
    public boolean readAll() {
        return readSeq == writerSeq && readOffset == segments.get(writerSeq);
    }

    public long bytes() {
        return totalBytes;
    }

    /** Records appended and not yet committed (across restarts too). */
    public long pending() {
        return pendingRecords;
    }

    public long maxBytes() {
        return maxBytes;
    }

    private FileChannel readerFor(long seq) throws IOException {
        if (readerSeq != seq) {
            if (reader != null && readerSeq != -1) {
                reader.close();
            }
            reader = FileChannel.open(segment(seq), StandardOpenOption.READ);
            readerSeq = seq;
        }
        return reader;
    }

    private void readPosition() throws IOException {
        Path p = dir.resolve("position");
        if (!Files.exists(p)) {
            return;
        }
        String[] parts = Files.readString(p, StandardCharsets.US_ASCII).trim().split(" ");
        try {
            commitSeq = Long.parseLong(parts[0]);
            commitOffset = Long.parseLong(parts[1]);
        } catch (RuntimeException damaged) {
            // A position file we cannot read: replay everything on disk (duplicates, never loss).
            commitSeq = 0;
            commitOffset = 0;
        }
    }

    private void writePosition() throws IOException {
        Path tmp = dir.resolve("position.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((commitSeq + " " + commitOffset + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, dir.resolve("position"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path segment(long seq) {
        return dir.resolve(String.format("%020d.seg", seq));
    }

    private static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    @Override
    public void close() {
        try {
            sync();
            writer.close();
            if (reader != null && readerSeq != -1) {
                reader.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
