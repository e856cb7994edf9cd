package dev.modproxy.audit.rest;

import dev.modproxy.audit.events.AuditEvent;
import dev.modproxy.audit.events.AuditEventCodec;
import dev.modproxy.audit.events.AuditPublisher;
import dev.modproxy.audit.support.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static dev.modproxy.testing.InternalCalls.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events published the way the gateway publishes them, through a real broker, consumed, stored
 * and queried: each exactly once, in pages and as NDJSON.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
class AuditFlowTest {

    @Test
    void tenThousandEventsAreQueryableEachOnce() throws Exception {
        Instant t0 = Instant.now().minusSeconds(5);
        Set<UUID> sent = new HashSet<>();
        Path spool = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "spool");
        var settings = new AuditPublisher.Settings("modproxy.audit", 100_000, spool, 64 << 20, 1 << 20,
                Duration.ofMillis(50), Duration.ofMillis(500));
        try (AuditPublisher p = new AuditPublisher(settings,
                AuditPublisher.producerConfig(KafkaResource.bootstrapServers(), Duration.ofSeconds(10)))) {
            for (int i = 0; i < 10_000; i++) {
                AuditEvent e = AuditEvent.builder().time(t0.plusMillis(i / 10)).kind(AuditEvent.Kind.ZIP)
                        .module("flow.example/m" + (i % 50)).version("v1.0." + (i % 7)).status(200)
                        .client("127.0.0.1").identity(i % 2 == 0 ? "alice" : null).replica("test").build();
                sent.add(e.id());
                p.publish(e);
            }
        }
        String since = t0.minusSeconds(1).toString();
        List<AuditEvent> all = awaitNdjson("since=" + since, 10_000);
        Set<UUID> ids = new HashSet<>();
        all.forEach(e -> ids.add(e.id()));
        assertEquals(10_000, all.size(), "each event once");
        assertEquals(sent, ids);
        for (int i = 1; i < all.size(); i++) {
            assertTrue(!all.get(i).time().isBefore(all.get(i - 1).time()), "time order");
        }

        // One module, paged through with cursors.
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            Response r = given().queryParam("module", "flow.example/m7").queryParam("since", since)
                    .queryParam("limit", 77).queryParams(cursor == null ? java.util.Map.of() : java.util.Map.of("cursor", cursor))
                    .get("/api/v1/audit");
            assertEquals(200, r.statusCode(), r.asString());
            assertTrue(r.contentType().startsWith("application/json"));
            paged.addAll(r.jsonPath().getList("events.id"));
            cursor = r.jsonPath().getString("next");
        } while (cursor != null);
        assertEquals(200, paged.size());
        assertEquals(200, new HashSet<>(paged).size());

        assertEquals(5000, ndjson("since=" + since + "&identity=alice").size());
        assertEquals(10_000, ndjson("since=" + since + "&modulePrefix=flow.example").size());
        long m0v0 = all.stream().filter(e -> "flow.example/m0".equals(e.module()) && "v1.0.0".equals(e.version())).count();
        assertEquals(m0v0, ndjson("since=" + since + "&module=flow.example/m0&version=v1.0.0").size());
    }

    static List<AuditEvent> ndjson(String query) {
        Response r = given().urlEncodingEnabled(false).get("/api/v1/audit?format=ndjson&" + query);
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.contentType().startsWith("application/x-ndjson"), r.contentType());
        List<AuditEvent> out = new ArrayList<>();
        for (String line : r.asString().split("\n")) {
            if (!line.isEmpty()) {
                try {
                    out.add(AuditEventCodec.decode(line));
                } catch (AuditEventCodec.MalformedEventException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    static List<AuditEvent> awaitNdjson(String query, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<AuditEvent> got = List.of();
        while (System.nanoTime() < deadline) {
            got = ndjson(query);
            if (got.size() >= n) {
                Thread.sleep(1000); // and nothing more arrives
                return ndjson(query);
            }
            Thread.sleep(250);
        }
        return got;
    }
}
