package dev.modproxy.audit.events;

import dev.modproxy.audit.config.AuditConfig;
import dev.modproxy.audit.segment.SegmentIndex;
import dev.modproxy.audit.segment.SegmentStore;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobInfo;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStores;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.StorageSettings;
import dev.modproxy.testing.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Storage failing in the middle of a poll that holds records of several partitions (the topic
 * has three): every event published is stored exactly once in the end. Before the consumer
 * rewound every assigned partition, the records of a partition that had no open batch when a
 * segment write failed were passed over and later committed past — lost for good.
 */
class AuditConsumerFaultTest {

    @Test
    void segmentWritesFailingMidPollLoseNothing() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "consumer-fault");
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
             BlobStore fs = BlobStores.open(StorageSettings.fs(dir.resolve("storage")))) {
            Set<UUID> sent = new HashSet<>();
            Map<String, Object> p = new HashMap<>();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            Instant t0 = Instant.now();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
                for (int i = 0; i < 3000; i++) {
                    AuditEvent e = AuditEvent.builder().time(t0).kind(AuditEvent.Kind.INFO).module("fault.example/m" + (i % 30))
                            .version("v1.0.0").status(200).replica("test").build();
                    sent.add(e.id());
                    producer.send(new ProducerRecord<>("modproxy.audit", e.module(), AuditEventCodec.encode(e)));
                }
            }
            // Segment writes 1, 4, 7 and 10 fail: the first lands in the middle of the first poll (3000
            // records of three partitions, batches of 50), the others in the polls after each rewind.
            AtomicInteger writes = new AtomicInteger();
            BlobStore flaky = new Flaky(fs, key -> {
                if (!key.value().startsWith(SegmentStore.ROOT) || !key.value().endsWith(".ndjson.gz")) {
                    return false;
                }
                int n = writes.incrementAndGet();
                return n <= 10 && n % 3 == 1;
            });
            AuditConsumer consumer = new AuditConsumer(config(), new SegmentStore(flaky), new SimpleMeterRegistry(),
                    broker.bootstrapServers());
            consumer.start(null);
            try {
                Set<UUID> stored = new HashSet<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos(); // a loaded CI machine fsyncs slowly
                int count = 0;
                while (System.nanoTime() < deadline) {
                    stored.clear();
                    count = read(new SegmentStore(fs), t0, stored);
                    if (stored.containsAll(sent)) {
                        break;
                    }
                    Thread.sleep(500);
                }
                assertTrue(writes.get() > 3, "the failures were exercised: " + writes.get() + " writes");
                Set<UUID> missing = new HashSet<>(sent);
                missing.removeAll(stored);
                assertEquals(0, missing.size(), missing.size() + " of " + sent.size() + " published events never stored");
                assertTrue(count >= sent.size(), count + " events read");
            } finally {
                consumer.stop(null);
            }
        }
    }

    /** Reads every stored event (duplicates included in the count; ids into {@code ids}). */
    private static int read(SegmentStore segments, Instant t0, Set<UUID> ids) throws StorageException {
        Instant hour = t0.truncatedTo(ChronoUnit.HOURS);
        AtomicInteger n = new AtomicInteger();
        for (List<SegmentStore.Stored> h : segments.segments(hour.minus(Duration.ofHours(1)), hour.plus(Duration.ofHours(1)))) {
            for (SegmentStore.Stored s : h) {
                for (SegmentIndex.Member m : s.index().modules()) {
                    segments.read(s, m, e -> {
                        n.incrementAndGet();
                        ids.add(e.id());
                    });
                }
            }
        }
        return n.get();
    }

    private static AuditConfig config() {
        return new AuditConfig() {
            public Path dataDir() {
                return Path.of("target/test-data");
            }

            public Audit audit() {
                return new Audit() {
                    public String topic() { return "modproxy.audit"; }
                    public String group() { return "consumer-fault-" + UUID.randomUUID(); }
                    public Duration retention() { return Duration.ofDays(30); }
                    public Duration retentionInterval() { return Duration.ofHours(1); }
                    public int partitions() { return 3; }
            public java.util.Optional<Short> replicationFactor() { return java.util.Optional.empty(); }
            public int segmentEvents() { return 50; }
                    public Duration flushInterval() { return Duration.ofMillis(200); }
                    public int defaultLimit() { return 100; }
                    public int maxLimit() { return 1000; }
                };
            }
        };
    }

    /** A store whose puts fail where {@code fails} says: a storage outage at chosen moments. */
    private record Flaky(BlobStore inner, java.util.function.Predicate<BlobKey> fails) implements BlobStore {
        public Optional<BlobInfo> stat(BlobKey key) throws StorageException { return inner.stat(key); }
        public Optional<Blob> get(BlobKey key) throws StorageException { return inner.get(key); }
        public Optional<Blob> get(BlobKey key, long offset, long length) throws StorageException { return inner.get(key, offset, length); }
        public List<BlobKey> list(String prefix) throws StorageException { return inner.list(prefix); }
        public void delete(BlobKey key) throws StorageException { inner.delete(key); }
        public void ping() throws StorageException { inner.ping(); }

        public boolean put(BlobKey key, InputStream data, long size, WriteMode mode) throws StorageException {
            if (fails.test(key)) {
                throw new StorageException("injected failure writing " + key);
            }
            return inner.put(key, data, size, mode);
        }
    }
}
