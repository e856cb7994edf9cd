package dev.modproxy.audit.events;

import dev.modproxy.audit.config.AuditConfig;
import dev.modproxy.audit.segment.SegmentStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumes the audit topic into segments, committing offsets only once a segment is durable.
 *
 * <p>One thread owns a {@link KafkaConsumer} in the service's consumer group (manual commits).
 * Records collect per partition; a partition's batch is written when it reaches
 * {@code segment-events} or is {@code flush-interval} old, and on rebalance before its partition
 * is given up. Then, and only then, the offset after the batch is committed. A crash between the
 * write and the commit re-reads the batch: if cut the same way its segment names already exist
 * (a no-op), otherwise the repeats are dropped by event id when read — no loss, no duplicates
 * in answers. When storage or a commit fails, the batches are dropped, every assigned partition
 * goes back to its committed offset ({@link #rewind}), and the thread retries after a pause.
 *
 * <p>A record that is not an audit event is counted ({@code modproxy_audit_events_rejected_total})
 * and logged, and its offset passes with its batch: it can never be stored, and it must not stop
 * the partition.
 */
@ApplicationScoped
public class AuditConsumer {

    private static final Logger LOG = Logger.getLogger(AuditConsumer.class);

    private final AuditConfig config;
    private final SegmentStore segments;
    private final String bootstrapServers;
    private final Counter consumed;
    private final Counter stored;
    private final Counter rejected;
    private final Counter segmentsWritten;
    private final AtomicLong lag = new AtomicLong();
    private final Map<TopicPartition, Batch> batches = new HashMap<>();
    private volatile boolean running = true;
    private volatile String lastError = "";
    private volatile long lastStoredNanos = System.nanoTime();
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    private static final class Batch {
        final long firstOffset;
        long lastOffset;
        final long startedNanos = System.nanoTime();
        final List<AuditEvent> events = new ArrayList<>();

        Batch(long firstOffset) {
            this.firstOffset = firstOffset;
            this.lastOffset = firstOffset;
        }
    }

    public AuditConsumer(AuditConfig config, SegmentStore segments, MeterRegistry registry,
                         @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.segments = segments;
        this.bootstrapServers = bootstrapServers;
        this.consumed = registry.counter("modproxy.audit.events.consumed");
        this.stored = registry.counter("modproxy.audit.events.stored");
        this.rejected = registry.counter("modproxy.audit.events.rejected");
        this.segmentsWritten = registry.counter("modproxy.audit.segments.written");
        registry.gauge("modproxy.audit.consumer.lag", lag);
    }

    void start(@Observes StartupEvent ev) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.audit().group());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "modproxy-audit-service");
        c.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        c.putAll(connection());
        // Before the first subscriber or publisher can make a broker auto-create it with its own
        // partition count; bounded (a broker that is away costs start-up at most a few seconds).
        ensureTopic();
        consumer = new KafkaConsumer<>(c);
        thread = new Thread(this::run, "audit-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The company's Kafka security settings ({@link KafkaConnection}), from configuration. */
    private static Map<String, Object> connection() {
        return KafkaConnection.settings(name -> ConfigProvider.getConfig().getOptionalValue(name, String.class));
    }

    /**
     * Creates the audit topic with {@code modproxy.audit.partitions} partitions if it does not
     * exist, rather than leaving it to a broker's auto-creation (often off, or one partition,
     * which caps the consumers at one). Best effort: without the right to create topics (or with
     * the broker away) the topic must exist already, and consuming starts anyway.
     */
    private void ensureTopic() {
        Map<String, Object> a = new HashMap<>(connection());
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, "modproxy-audit-service-admin");
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(a)) {
            String topic = config.audit().topic();
            if (admin.listTopics().names().get(5, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            NewTopic t = new NewTopic(topic, Optional.of(config.audit().partitions()), config.audit().replicationFactor());
            admin.createTopics(List.of(t)).all().get(5, TimeUnit.SECONDS);
            LOG.infof("audit: created topic %s with %d partitions", topic, config.audit().partitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("audit: could not create the audit topic (it must exist already): %s", e.getCause().toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | RuntimeException e) {
            LOG.warnf("audit: could not create the audit topic (it must exist already): %s", e.toString());
        }
    }

    private void run() {
        consumer.subscribe(List.of(config.audit().topic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // Hand over cleanly: what is batched is written and committed before another replica takes over.
                for (TopicPartition tp : partitions) {
                    try {
                        flush(tp);
                    } catch (RuntimeException e) {
                        batches.remove(tp);
                        LOG.warnf("audit: could not flush %s on rebalance (the new owner re-reads it): %s", tp, e.getMessage());
                    }
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                partitions.forEach(batches::remove);
            }
        });
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        add(r);
                    }
                    flushDue();
                    updateLag();
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    lastError = String.valueOf(e.getMessage());
                    LOG.warnf("audit: storing failed, retrying from the last committed offsets: %s", e.toString());
                    pause(Duration.ofSeconds(1));
                    try {
                        rewind();
                    } catch (WakeupException stop) {
                        break;
                    } catch (RuntimeException again) {
                        // The broker is away too: nothing was consumed since, so rewinding on the next failure is as good.
                        LOG.warnf("audit: rewinding failed (retried on the next failure): %s", again.toString());
                        batches.clear();
                    }
                }
            }
            flushAll();
        } catch (RuntimeException e) {
            LOG.warnf("audit: final flush failed (re-read at next start): %s", e.getMessage());
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void add(ConsumerRecord<String, byte[]> r) {
        consumed.increment();
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Batch b = batches.computeIfAbsent(tp, k -> new Batch(r.offset()));
        b.lastOffset = r.offset();
        try {
            b.events.add(AuditEventCodec.decode(r.value()));
        } catch (AuditEventCodec.MalformedEventException e) {
            rejected.increment();
            LOG.warnf("audit: %s at offset %d is not an audit event (skipped): %s", tp, r.offset(), e.getMessage());
        }
        if (b.events.size() >= config.audit().segmentEvents()) {
            flush(tp);
        }
    }

    private void flushDue() {
        long interval = config.audit().flushInterval().toNanos();
        for (TopicPartition tp : new ArrayList<>(batches.keySet())) {
            if (System.nanoTime() - batches.get(tp).startedNanos >= interval) {
                flush(tp);
            }
        }
    }

    private void flushAll() {
        for (TopicPartition tp : new ArrayList<>(batches.keySet())) {
            flush(tp);
        }
    }

    /** Writes the partition's batch, then commits past it. Throws (leaving the batch) if storage fails. */
    private void flush(TopicPartition tp) {
        Batch b = batches.get(tp);
        if (b == null) {
            return;
        }
        try {
            segments.write(tp.partition(), b.firstOffset, b.lastOffset, b.events);
        } catch (dev.modproxy.storage.StorageException e) {
            throw new IllegalStateException("storage: " + e.getMessage(), e);
        }
        segmentsWritten.increment();
        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(b.lastOffset + 1)));
        batches.remove(tp);
        stored.increment(b.events.size());
        lastStoredNanos = System.nanoTime();
        lastError = "";
    }

    /**
     * After a failure anywhere in a poll's work (a segment write, a commit): drops every batch and
     * moves EVERY assigned partition back to its committed offset, which is the first event not
     * yet durably stored (a flush writes, then commits). Rewinding only the partitions with an
     * open batch is not enough: a partition whose records came later in the same poll has had its
     * position moved past records that were never added, and its next commit would skip them for
     * good. Events stored but not yet committed are read again; their ids absorb the duplicates.
     */
    private void rewind() {
        batches.clear();
        java.util.Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, Duration.ofSeconds(10));
        List<TopicPartition> neverCommitted = new ArrayList<>();
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata c = committed.get(tp);
            if (c == null) {
                neverCommitted.add(tp);
            } else {
                consumer.seek(tp, c.offset());
            }
        }
        if (!neverCommitted.isEmpty()) {
            consumer.seekToBeginning(neverCommitted); // as auto.offset.reset=earliest would
        }
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            var l = consumer.currentLag(tp);
            if (l.isPresent()) {
                total += l.getAsLong();
            }
        }
        Batch[] pending = batches.values().toArray(Batch[]::new);
        for (Batch b : pending) {
            total += b.events.size(); // read but not yet durable: still lag for the operator
        }
        lag.set(total);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long lag() {
        return lag.get();
    }

    public String lastError() {
        return lastError;
    }

    public boolean running() {
        return thread != null && thread.isAlive();
    }
}
