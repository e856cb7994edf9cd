package dev.modproxy.audit.service;

import dev.modproxy.audit.events.AuditEvent;
import dev.modproxy.audit.segment.SegmentStore;
import dev.modproxy.audit.support.TestConfig;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStores;
import dev.modproxy.storage.StorageSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The query benchmark of the README: 1,000,000 events over one day (2,000 modules, 3 partitions,
 * segments of 5,000 events as the consumer cuts them), then one module over that day must
 * answer in under a second — the first time, with no index cached.
 */
class QueryBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void oneModuleOverADayOfAMillionEventsAnswersInUnderASecond() throws Exception {
        int total = 1_000_000, modules = 2000, partitions = 3, perSegment = 5000;
        Instant day = Instant.parse("2024-06-01T00:00:00Z");
        Random random = new Random(42);
        String target = "example.com/team/mod-17";
        int expected = 0;
        try (BlobStore blobs = BlobStores.open(StorageSettings.fs(dir))) {
            SegmentStore writer = new SegmentStore(blobs);
            long[] offsets = new long[partitions];
            List<List<AuditEvent>> batches = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                batches.add(new ArrayList<>());
            }
            long writeStart = System.nanoTime();
            for (int i = 0; i < total; i++) {
                String module = "example.com/team/mod-" + random.nextInt(modules);
                if (module.equals(target)) {
                    expected++;
                }
                AuditEvent e = AuditEvent.builder().time(day.plusNanos(i * 86_400_000L)).kind(AuditEvent.Kind.ZIP)
                        .module(module).version("v1.2." + random.nextInt(50)).status(200).bytes(12345)
                        .client("10.0." + random.nextInt(256) + "." + random.nextInt(256)).userAgent("Go-http-client/1.1")
                        .cache(AuditEvent.Cache.HIT).replica("gw-1").requestId("r" + i).build();
                int p = Math.floorMod(module.hashCode(), partitions);
                batches.get(p).add(e);
                if (batches.get(p).size() == perSegment) {
                    writer.write(p, offsets[p], offsets[p] + perSegment - 1, batches.get(p));
                    offsets[p] += perSegment;
                    batches.set(p, new ArrayList<>());
                }
            }
            for (int p = 0; p < partitions; p++) {
                if (!batches.get(p).isEmpty()) {
                    writer.write(p, offsets[p], offsets[p] + batches.get(p).size() - 1, batches.get(p));
                }
            }
            System.out.printf("benchmark: wrote %d events in %d ms%n", total, (System.nanoTime() - writeStart) / 1_000_000);

            // A fresh store: no index in memory, as after a restart.
            AuditQueryService queries = new AuditQueryService(new SegmentStore(blobs), new TestConfig(Duration.ofDays(36500)));
            AuditQuery q = AuditQuery.parse(Map.of("module", List.of(target), "since", List.of("2024-06-01T00:00:00Z"),
                    "until", List.of("2024-06-02T00:00:00Z")), 1000);
            long[] count = {0};
            long t0 = System.nanoTime();
            queries.run(q, Long.MAX_VALUE, e -> count[0]++);
            long coldMillis = (System.nanoTime() - t0) / 1_000_000;
            count[0] = 0;
            t0 = System.nanoTime();
            queries.run(q, Long.MAX_VALUE, e -> count[0]++);
            long warmMillis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("benchmark: one module, one day, %d of %d events: %d ms cold, %d ms warm%n",
                    count[0], total, coldMillis, warmMillis);
            assertEquals(expected, count[0]);
            assertTrue(coldMillis < 1000, "cold query took " + coldMillis + " ms");
        }
    }
}
