package dev.modproxy.audit.segment;

import dev.modproxy.audit.events.AuditEvent;
import dev.modproxy.audit.service.AuditQuery;
import dev.modproxy.audit.service.AuditQueryService;
import dev.modproxy.audit.support.TestConfig;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStores;
import dev.modproxy.storage.StorageSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Segments as stored: names, hours, one gzip member per module, repeats removed, retention. */
class SegmentStoreTest {

    @TempDir
    Path dir;
    BlobStore blobs;
    SegmentStore store;
    AuditQueryService queries;

    @BeforeEach
    void open() throws Exception {
        blobs = BlobStores.open(StorageSettings.fs(dir));
        store = new SegmentStore(blobs);
        queries = new AuditQueryService(store, new TestConfig(Duration.ofDays(3650)));
    }

    @AfterEach
    void close() {
        blobs.close();
    }

    static AuditEvent ev(String time, String module) {
        return AuditEvent.builder().time(Instant.parse(time)).kind(AuditEvent.Kind.MOD).module(module)
                .version("v1.0.0").status(200).client("127.0.0.1").build();
    }

    List<AuditEvent> query(Map<String, List<String>> params) throws Exception {
        List<AuditEvent> out = new ArrayList<>();
        queries.run(AuditQuery.parse(params, 1000), Long.MAX_VALUE, out::add);
        return out;
    }

    @Test
    void splitsABatchByEventHourAndNamesSegmentsByOffsets() throws Exception {
        store.write(2, 100, 103, List.of(ev("2024-01-01T10:59:59Z", "a.example/x"), ev("2024-01-01T11:00:00Z", "b.example/y"),
                ev("2024-01-01T10:00:00Z", null), ev("2023-12-31T23:30:00Z", "a.example/x")));
        List<String> keys = blobs.list(SegmentStore.ROOT).stream().map(BlobKey::value).toList();
        assertEquals(List.of(
                "audit/segments/2023/12/31/23/2-100-103.idx.json", "audit/segments/2023/12/31/23/2-100-103.ndjson.gz",
                "audit/segments/2024/01/01/10/2-100-103.idx.json", "audit/segments/2024/01/01/10/2-100-103.ndjson.gz",
                "audit/segments/2024/01/01/11/2-100-103.idx.json", "audit/segments/2024/01/01/11/2-100-103.ndjson.gz"), keys);
    }

    @Test
    void aSegmentIsOneGzipFileWithAMemberPerModule() throws Exception {
        store.write(0, 0, 2, List.of(ev("2024-01-01T10:00:02Z", "b.example/y"), ev("2024-01-01T10:00:01Z", "a.example/x"),
                ev("2024-01-01T10:00:00Z", "b.example/y")));
        var blob = blobs.get(BlobKey.of("audit/segments/2024/01/01/10/0-0-2.ndjson.gz")).orElseThrow();
        String all;
        try (blob; var in = new GZIPInputStream(blob.stream())) {
            all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> lines = all.lines().toList();
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).contains("a.example/x"));
        assertTrue(lines.get(1).contains("10:00:00Z") && lines.get(2).contains("10:00:02Z"), all);
        var hour = store.segments(Instant.parse("2024-01-01T10:00:00Z"), Instant.parse("2024-01-01T10:00:00Z"));
        SegmentIndex idx = hour.get(0).get(0).index();
        assertEquals(List.of("a.example/x", "b.example/y"), idx.modules().stream().map(SegmentIndex.Member::module).toList());
        assertEquals(3, idx.count());
    }

    @Test
    void rewritingOrOverlappingBatchesNeverRepeatsAnEvent() throws Exception {
        List<AuditEvent> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(ev("2024-01-01T10:00:0" + i + "Z", "a.example/x"));
        }
        store.write(0, 0, 9, batch);
        store.write(0, 0, 9, batch);                 // same batch again: same names, no-op
        store.write(0, 5, 12, batch.subList(5, 10)); // redelivered, cut differently
        List<AuditEvent> got = query(Map.of("module", List.of("a.example/x")));
        assertEquals(batch, got);
    }

    @Test
    void filtersAndPagesInTimeOrder() throws Exception {
        List<AuditEvent> batch = new ArrayList<>();
        Instant t = Instant.parse("2024-02-02T00:00:00Z");
        for (int i = 0; i < 300; i++) {
            batch.add(AuditEvent.builder().time(t.plusSeconds(i * 60L)).kind(i % 2 == 0 ? AuditEvent.Kind.ZIP : AuditEvent.Kind.INFO)
                    .module(i % 3 == 0 ? "golang.org/x/text" : "golang.org/x/textual").status(i % 5 == 0 ? 404 : 200)
                    .client("10.0.0." + (i % 7)).build());
        }
        store.write(1, 0, 299, batch);
        assertEquals(100, query(Map.of("module", List.of("golang.org/x/text"))).size());
        assertEquals(300, query(Map.of("modulePrefix", List.of("golang.org/x"))).size());
        assertEquals(100, query(Map.of("modulePrefix", List.of("golang.org/x/text"))).size());
        assertEquals(60, query(Map.of("status", List.of("404"))).size());
        assertEquals(150, query(Map.of("kind", List.of("zip"))).size());
        List<AuditEvent> window = query(Map.of("since", List.of("2024-02-02T01:00:00Z"), "until", List.of("2024-02-02T02:00:00+00:00")));
        assertEquals(60, window.size());
        assertEquals(t.plus(1, ChronoUnit.HOURS), window.get(0).time());

        List<AuditEvent> paged = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, List<String>> p = cursor == null ? Map.of("limit", List.of("7")) : Map.of("limit", List.of("7"), "cursor", List.of(cursor));
            List<AuditEvent> page = new ArrayList<>();
            var next = queries.run(AuditQuery.parse(p, 1000), 7, page::add);
            paged.addAll(page);
            cursor = next.map(AuditQuery.Cursor::encode).orElse(null);
        } while (cursor != null);
        assertEquals(batch, paged);
    }

    @Test
    void retentionDeletesWholeExpiredHours() throws Exception {
        Instant now = Instant.now();
        store.write(0, 0, 1, List.of(ev(now.minus(Duration.ofDays(10)).toString(), "a.example/x"), ev(now.toString(), "a.example/x")));
        assertEquals(2, store.expire(now.minus(Duration.ofDays(5))));
        assertEquals(2, blobs.list(SegmentStore.ROOT).size());
        assertEquals(1, query(Map.of()).size());
    }

    static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
