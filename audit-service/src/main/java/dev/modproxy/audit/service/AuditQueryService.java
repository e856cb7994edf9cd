package dev.modproxy.audit.service;

import dev.modproxy.audit.config.AuditConfig;
import dev.modproxy.audit.events.AuditEvent;
import dev.modproxy.audit.segment.SegmentIndex;
import dev.modproxy.audit.segment.SegmentStore;
import dev.modproxy.audit.service.AuditException.Kind;
import dev.modproxy.storage.StorageException;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers audit queries from the stored segments, hour by hour in time order. The segment indexes
 * pick the module members worth reading (one byte range each); within an hour the matches are
 * sorted by time and id and repeats of one event id (a redelivered batch) are dropped.
 */
@ApplicationScoped
public class AuditQueryService {

    private final SegmentStore segments;
    private final AuditConfig config;

    public AuditQueryService(SegmentStore segments, AuditConfig config) {
        this.segments = segments;
        this.config = config;
    }

    /** What a sink is told: write this event. An IOException here ends the query (the client went away). */
    public interface Sink {
        void accept(AuditEvent e) throws IOException;
    }

    /**
     * Streams the matches of {@code q} after its cursor, at most {@code max}, to {@code sink}.
     *
     * @return the cursor after the last event written, if {@code max} were written (a next page may exist)
     */
    public Optional<AuditQuery.Cursor> run(AuditQuery q, long max, Sink sink) throws IOException {
        Instant now = Instant.now();
        Instant since = q.since().orElse(now.minus(config.audit().retention()));
        Instant until = q.until().orElse(now.plus(Duration.ofHours(1)));
        Instant start = since;
        if (q.cursor().isPresent() && q.cursor().get().time().isAfter(start)) {
            start = q.cursor().get().time();
        }
        if (!start.isBefore(until)) {
            return Optional.empty();
        }
        List<List<SegmentStore.Stored>> hours;
        try {
            hours = segments.segments(start.truncatedTo(ChronoUnit.HOURS), until.minusNanos(1).truncatedTo(ChronoUnit.HOURS));
        } catch (StorageException e) {
            throw new AuditException(Kind.STORAGE_UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
        }
        long written = 0;
        for (List<SegmentStore.Stored> hour : hours) {
            List<AuditEvent> matches = new ArrayList<>();
            for (SegmentStore.Stored s : hour) {
                SegmentIndex idx = s.index();
                if (idx.maxTime().isBefore(start) || !idx.minTime().isBefore(until)) {
                    continue;
                }
                long lastOffset = -1;
                for (SegmentIndex.Member m : idx.modules()) {
                    // Neighbouring modules share a member: read each selected member once.
                    if (!q.selects(m.module()) || m.offset() == lastOffset) {
                        continue;
                    }
                    lastOffset = m.offset();
                    try {
                        segments.read(s, m, e -> {
                            if (q.matches(e)) {
                                matches.add(e);
                            }
                        });
                    } catch (StorageException e) {
                        throw new AuditException(Kind.STORAGE_UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
                    }
                }
            }
            matches.sort(SegmentStore.ORDER);
            AuditEvent prev = null;
            for (AuditEvent e : matches) {
                if (prev != null && prev.id().equals(e.id())) {
                    continue;
                }
                prev = e;
                if (e.time().isBefore(since) || !e.time().isBefore(until) || !afterCursor(q, e)) {
                    continue;
                }
                sink.accept(e);
                if (++written == max) {
                    return Optional.of(new AuditQuery.Cursor(e.time(), e.id()));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean afterCursor(AuditQuery q, AuditEvent e) {
        if (q.cursor().isEmpty()) {
            return true;
        }
        AuditQuery.Cursor c = q.cursor().get();
        int t = e.time().compareTo(c.time());
        return t > 0 || (t == 0 && e.id().compareTo(c.id()) > 0);
    }
}
