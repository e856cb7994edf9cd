package dev.modproxy.audit.segment;

import dev.modproxy.audit.events.AuditEvent;
import dev.modproxy.audit.events.AuditEventCodec;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.StorageException;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.Deflater;

/**
 * Audit segments in storage: how they are named, written, listed, read and expired.
 *
 * <p>Layout (keys in the {@link BlobStore}):
 * <pre>
 * audit/segments/yyyy/MM/dd/HH/&lt;partition&gt;-&lt;firstOffset&gt;-&lt;lastOffset&gt;.ndjson.gz    the events
 * audit/segments/yyyy/MM/dd/HH/&lt;partition&gt;-&lt;firstOffset&gt;-&lt;lastOffset&gt;.idx.json    its {@link SegmentIndex}
 * </pre>
 * <ul>
 *   <li>The hour is the events' own time (UTC), not when they arrived: events replayed late from a
 *       gateway's spool land in the hour they happened, where a query for that hour looks. One
 *       batch of offsets that spans hours becomes one segment per hour, all with the batch's
 *       offset range in their name.</li>
 *   <li>A segment is NDJSON ({@link AuditEventCodec}), gzip-compressed as one gzip member per
 *       run of modules (ascending module path, at least {@value #MEMBER_EVENTS} events a member unless
 *       it is the last; within a module, ascending time then id). Concatenated
 *       members are one valid {@code .gz} file, so {@code zcat} reads a whole segment, while the
 *       index lets a query read one module's member by byte range.</li>
 *   <li>The segment is written before its index, both IMMUTABLE; a segment counts only once its
 *       index exists. The name is a function of the offset range, so writing the same batch again
 *       (after a crash before the offset commit) is a no-op. A redelivered batch cut differently
 *       overlaps an earlier segment; readers drop the repeats by event id.</li>
 * </ul>
 */
public final class SegmentStore {

    public static final String ROOT = "audit/segments/";
    /** Fewest events in one gzip member (one or more whole modules). */
    static final int MEMBER_EVENTS = 200;
    private static final String SEGMENT = ".ndjson.gz";
    private static final String INDEX = ".idx.json";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    /** Query order: time, then id (so repeats of one event are neighbours). */
    public static final Comparator<AuditEvent> ORDER =
            Comparator.comparing(AuditEvent::time).thenComparing(AuditEvent::id);

    private final BlobStore store;
    private final Map<BlobKey, SegmentIndex> indexCache = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<BlobKey, SegmentIndex> eldest) {
                    return size() > 50_000;
                }
            });

    public SegmentStore(BlobStore store) {
        this.store = store;
    }

    /** A stored segment's index and where it is. */
    public record Stored(BlobKey segment, Instant hour, SegmentIndex index) {
    }

    /**
     * Writes one batch of a partition (offsets {@code first..last}) as one segment per event hour.
     * Returns the number of events written (repeats of an already written batch count too).
     */
    public int write(int partition, long first, long last, List<AuditEvent> events) throws StorageException {
        Map<Instant, List<AuditEvent>> byHour = new TreeMap<>();
        for (AuditEvent e : events) {
            byHour.computeIfAbsent(e.time().truncatedTo(ChronoUnit.HOURS), h -> new ArrayList<>()).add(e);
        }
        for (var h : byHour.entrySet()) {
            writeHour(h.getKey(), partition, first, last, h.getValue());
        }
        return events.size();
    }

    private void writeHour(Instant hour, int partition, long first, long last, List<AuditEvent> events)
            throws StorageException {
        Map<String, List<AuditEvent>> byModule = new TreeMap<>();
        for (AuditEvent e : events) {
            byModule.computeIfAbsent(e.module() == null ? "" : e.module(), m -> new ArrayList<>()).add(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 64);
        List<SegmentIndex.Member> members = new ArrayList<>(byModule.size());
        Instant min = null, max = null;
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            // Modules go into members of at least MEMBER_EVENTS events (a module is never split):
            // small enough that one module costs a small read, big enough to compress well.
            List<String> group = new ArrayList<>();
            List<AuditEvent> groupEvents = new ArrayList<>();
            var it = byModule.entrySet().iterator();
            while (it.hasNext()) {
                var m = it.next();
                List<AuditEvent> list = m.getValue();
                list.sort(ORDER);
                group.add(m.getKey());
                groupEvents.addAll(list);
                Instant lo = list.get(0).time(), hi = list.get(list.size() - 1).time();
                min = min == null || lo.isBefore(min) ? lo : min;
                max = max == null || hi.isAfter(max) ? hi : max;
                if (groupEvents.size() >= MEMBER_EVENTS || !it.hasNext()) {
                    long start = out.size();
                    GzipMember.write(groupEvents, deflater, out);
                    long length = out.size() - start;
                    for (String module : group) {
                        members.add(new SegmentIndex.Member(module, start, length, byModule.get(module).size()));
                    }
                    group.clear();
                    groupEvents.clear();
                }
            }
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        } finally {
            deflater.end();
        }
        String base = ROOT + HOUR.format(hour) + "/" + partition + "-" + first + "-" + last;
        byte[] segment = out.toByteArray();
        store.put(BlobKey.of(base + SEGMENT), new ByteArrayInputStream(segment), segment.length, WriteMode.IMMUTABLE);
        byte[] index = new SegmentIndex(partition, first, last, events.size(), min, max, List.copyOf(members)).encode();
        store.put(BlobKey.of(base + INDEX), new ByteArrayInputStream(index), index.length, WriteMode.IMMUTABLE);
    }

    /** The segments of the hours from {@code fromHour} to {@code toHour} inclusive, hour by hour, in hour order. */
    public List<List<Stored>> segments(Instant fromHour, Instant toHour) throws StorageException {
        Map<Instant, List<Stored>> hours = new TreeMap<>();
        for (Instant day = fromHour.truncatedTo(ChronoUnit.DAYS); !day.isAfter(toHour); day = day.plus(Duration.ofDays(1))) {
            for (BlobKey k : store.list(ROOT + DAY.format(day) + "/")) {
                String v = k.value();
                if (!v.endsWith(INDEX)) {
                    continue;
                }
                Optional<Instant> hour = hourOf(v);
                if (hour.isEmpty() || hour.get().isBefore(fromHour) || hour.get().isAfter(toHour)) {
                    continue;
                }
                Optional<SegmentIndex> idx = index(k);
                if (idx.isPresent()) {
                    BlobKey seg = BlobKey.of(v.substring(0, v.length() - INDEX.length()) + SEGMENT);
                    hours.computeIfAbsent(hour.get(), h -> new ArrayList<>()).add(new Stored(seg, hour.get(), idx.get()));
                }
            }
        }
        return new ArrayList<>(hours.values());
    }

    private Optional<SegmentIndex> index(BlobKey key) throws StorageException {
        SegmentIndex cached = indexCache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Blob> blob = store.get(key);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        try (Blob b = blob.get()) {
            SegmentIndex idx = SegmentIndex.decode(b.stream().readAllBytes());
            indexCache.put(key, idx);
            return Optional.of(idx);
        } catch (IOException e) {
            throw new StorageException("cannot read segment index " + key + ": " + e.getMessage(), e);
        }
    }

    /** Reads the events of one module's member of a segment, in order, handing each to {@code sink}. */
    public void read(Stored s, SegmentIndex.Member m, Consumer<AuditEvent> sink) throws StorageException {
        Optional<Blob> blob = store.get(s.segment(), m.offset(), m.length());
        if (blob.isEmpty()) {
            return; // expired between listing and reading
        }
        try (Blob b = blob.get();
             BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(b.stream(), 16384),
                     StandardCharsets.UTF_8), 16384)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isEmpty()) {
                    sink.accept(AuditEventCodec.decode(line));
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot read audit segment " + s.segment() + ": " + e.getMessage(), e);
        }
    }

    /** Deletes every hour that ended before {@code cutoff}; returns the number of blobs deleted. */
    public int expire(Instant cutoff) throws StorageException {
        List<BlobKey> old = new ArrayList<>();
        for (BlobKey k : store.list(ROOT)) {
            Optional<Instant> hour = hourOf(k.value());
            if (hour.isPresent() && !hour.get().plus(Duration.ofHours(1)).isAfter(cutoff)) {
                old.add(k);
            }
        }
        // Indexes first: a segment without its index is invisible, never half-visible.
        old.sort(Comparator.comparing((BlobKey k) -> !k.value().endsWith(INDEX)).thenComparing(k -> k));
        for (BlobKey k : old) {
            store.delete(k);
            indexCache.remove(k);
        }
        return old.size();
    }

    /** The hour in a key {@code audit/segments/yyyy/MM/dd/HH/...}. */
    static Optional<Instant> hourOf(String key) {
        if (!key.startsWith(ROOT) || key.length() < ROOT.length() + 14) {
            return Optional.empty();
        }
        try {
            String h = key.substring(ROOT.length(), ROOT.length() + 13);
            return Optional.of(Instant.parse(h.substring(0, 4) + "-" + h.substring(5, 7) + "-" + h.substring(8, 10)
                    + "T" + h.substring(11, 13) + ":00:00Z"));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
