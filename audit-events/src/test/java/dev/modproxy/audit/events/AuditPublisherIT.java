package dev.modproxy.audit.events;

import dev.modproxy.testing.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publisher against a real broker: every event arrives with its module path as key, an
 * outage spools and replays without losing one, and a full spool drops and says so.
 */
class AuditPublisherIT {

    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kafka"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private AuditPublisher publisher(String topic, long spoolMax) throws Exception {
        var settings = new AuditPublisher.Settings(topic, 100_000, dir.resolve("spool"), spoolMax, 1 << 20,
                Duration.ofMillis(50), Duration.ofMillis(500));
        return new AuditPublisher(settings, AuditPublisher.producerConfig(broker.bootstrapServers(), Duration.ofSeconds(3)));
    }

    private static AuditEvent event(int i) {
        return AuditEvent.builder().kind(AuditEvent.Kind.INFO).module("example.com/m" + (i % 17))
                .version("v1.0." + i).status(200).client("127.0.0.1").replica("test").build();
    }

    @Test
    void deliversEveryEventKeyedByModule() throws Exception {
        Set<UUID> sent = new HashSet<>();
        try (AuditPublisher p = publisher("direct", 64 << 20)) {
            for (int i = 0; i < 2000; i++) {
                AuditEvent e = event(i);
                sent.add(e.id());
                assertTrue(p.publish(e));
            }
            awaitProduced(p, 2000);
            assertEquals(0, p.spooled());
        }
        List<ConsumerRecord<String, byte[]>> got = consume("direct", 2000);
        Set<UUID> ids = new HashSet<>();
        for (var r : got) {
            AuditEvent e = AuditEventCodec.decode(r.value());
            assertEquals(e.module(), r.key());
            ids.add(e.id());
        }
        assertEquals(sent, ids);
        assertEquals(2000, got.size(), "the idempotent producer repeats nothing");
    }

    @Test
    void spoolsThroughAnOutageAndReplays() throws Exception {
        Set<UUID> sent = new HashSet<>();
        long worstPublishNanos = 0;
        try (AuditPublisher p = publisher("outage", 64 << 20)) {
            for (int i = 0; i < 300; i++) {
                AuditEvent e = event(i);
                sent.add(e.id());
                p.publish(e);
            }
            awaitProduced(p, 300);
            broker.stop();
            try {
                for (int i = 300; i < 1300; i++) {
                    AuditEvent e = event(i);
                    sent.add(e.id());
                    long t = System.nanoTime();
                    assertTrue(p.publish(e));
                    worstPublishNanos = Math.max(worstPublishNanos, System.nanoTime() - t);
                    if (i % 100 == 0) {
                        Thread.sleep(500);
                    }
                }
                awaitState(p, AuditPublisher.State.SPOOLING);
                assertTrue(p.spooled() > 0, "events went to the spool");
            } finally {
                broker.start();
            }
            awaitProduced(p, 1300);
            awaitState(p, AuditPublisher.State.DIRECT);
            assertEquals(0, p.dropped());
        }
        assertTrue(worstPublishNanos < Duration.ofMillis(50).toNanos(), "publish never waits: " + worstPublishNanos);
        Set<UUID> ids = new HashSet<>();
        for (var r : consume("outage", 1300)) {
            ids.add(AuditEventCodec.decode(r.value()).id());
        }
        assertEquals(sent, ids);
    }

    @Test
    void aFullSpoolDropsAndSaysSo() throws Exception {
        broker.stop();
        try (AuditPublisher p = publisher("full", 4096)) {
            for (int i = 0; i < 200; i++) {
                p.publish(event(i));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (p.dropped() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(p.dropped() > 0);
            assertTrue(p.spoolBytes() <= 4096);
            assertEquals(AuditPublisher.State.DEGRADED, p.state());
        } finally {
            broker.start();
        }
    }

    @Test
    void replaysWhatAnEarlierRunSpooled() throws Exception {
        broker.stop();
        Set<UUID> sent = new HashSet<>();
        try (AuditPublisher p = publisher("restart", 64 << 20)) {
            for (int i = 0; i < 100; i++) {
                AuditEvent e = event(i);
                sent.add(e.id());
                p.publish(e);
            }
            Thread.sleep(200);
        } finally {
            broker.start();
        }
        try (AuditPublisher p = publisher("restart", 64 << 20)) {
            awaitProduced(p, 100);
        }
        Set<UUID> ids = new HashSet<>();
        for (var r : consume("restart", 100)) {
            ids.add(AuditEventCodec.decode(r.value()).id());
        }
        assertEquals(sent, ids);
    }

    private static void awaitProduced(AuditPublisher p, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (p.produced() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(n, p.produced(), "produced; spooled " + p.spooled() + ", dropped " + p.dropped());
    }

    private static void awaitState(AuditPublisher p, AuditPublisher.State s) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (p.state() != s && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(s, p.state());
    }

    private static List<ConsumerRecord<String, byte[]>> consume(String topic, int atLeast) {
        return TopicRecords.consume(broker.bootstrapServers(), topic, rs -> rs.size() >= atLeast);
    }
}
