package dev.modproxy.audit.events;

import dev.modproxy.audit.events.spool.Spool;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes audit events to Kafka without ever holding up the request that made them.
 *
 * <p>How an event travels:
 * <ol>
 *   <li>{@link #publish} puts it on a bounded in-memory queue and returns at once (the request
 *       thread never touches the network or the disk). A full queue drops the event (counted).</li>
 *   <li>One sender thread takes events off the queue. While the broker answers ({@code DIRECT}),
 *       it hands them to an idempotent {@code acks=all} producer keyed by module path.</li>
 *   <li>A send that fails (the broker has been away longer than the delivery timeout) puts that
 *       event in the {@link Spool} on disk and switches to {@code SPOOLING}: from then on new
 *       events are appended to the spool too (fsync'd in batches), behind the failed ones.</li>
 *   <li>While spooling, the sender replays the spool in order: first one record as a probe, then
 *       windows of records; the spool's position advances over the longest acknowledged prefix.
 *       A failure rewinds to that position and waits {@code retryInterval}. When the spool is
 *       empty and nothing is in flight, it goes back to {@code DIRECT}.</li>
 *   <li>Only a full spool drops events; they are counted in {@link #dropped()} and the state
 *       reads {@code DEGRADED} for a while after.</li>
 * </ol>
 * Delivery is at least once: a replay after a lost acknowledgement may repeat an event, which the
 * store removes by event id. A clean {@link #close()} spools whatever could not be sent, so a
 * restart replays it.
 */
public final class AuditPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AuditPublisher.class.getName());
    private static final int BATCH = 1000;
    private static final int REPLAY_WINDOW = 1000;
    private static final Duration DEGRADED_FOR = Duration.ofMinutes(5);

    /** How the publisher is doing, for health checks. */
    public enum State { DIRECT, SPOOLING, DEGRADED }

    /**
     * @param topic          Kafka topic
     * @param queueCapacity  events held in memory between request threads and the sender
     * @param spoolDir       directory of the spool
     * @param spoolMaxBytes  the spool's bound; beyond it events are dropped
     * @param spoolSegmentBytes size of one spool file
     * @param syncInterval   longest time a spooled event waits for its fsync
     * @param retryInterval  pause between replay attempts while the broker is away
     */
    public record Settings(String topic, int queueCapacity, Path spoolDir, long spoolMaxBytes,
                           long spoolSegmentBytes, Duration syncInterval, Duration retryInterval) {
    }

    /**
     * Producer settings: idempotent, {@code acks=all}; short timeouts so a dead broker turns into
     * spooled events within {@code deliveryTimeout} rather than the client's two-minute default.
     */
    public static Map<String, Object> producerConfig(String bootstrapServers, Duration deliveryTimeout) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        long delivery = Math.max(2000, deliveryTimeout.toMillis());
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, delivery - 100));
        // send() blocks the sender (never a request thread) this long when metadata is missing.
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        c.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "modproxy-audit-publisher");
        return c;
    }

    private final Settings settings;
    private final Producer<String, byte[]> producer;
    private final Spool spool;
    private final BlockingQueue<AuditEvent> queue;
    private final ConcurrentLinkedQueue<byte[]> failed = new ConcurrentLinkedQueue<>();
    private final AtomicInteger directInFlight = new AtomicInteger();
    private final Thread sender;
    private volatile boolean running = true;
    private volatile boolean spooling;

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long lastDropNanos;
    private volatile long spoolBytes;
    private volatile long spoolPending;

    // Sender-thread state for replays.
    private record Pending(Spool.Entry entry, Future<RecordMetadata> ack) {
    }
    private final ArrayDeque<Pending> window = new ArrayDeque<>();
    private long nextReplayNanos;
    private boolean probing = true;
    private long lastSyncNanos = System.nanoTime();

    public AuditPublisher(Settings settings, Map<String, Object> producerConfig) throws IOException {
        this(settings, new KafkaProducer<>(producerConfig));
    }

    public AuditPublisher(Settings settings, Producer<String, byte[]> producer) throws IOException {
        this.settings = settings;
        this.producer = producer;
        this.spool = new Spool(settings.spoolDir(), settings.spoolMaxBytes(), settings.spoolSegmentBytes());
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        // Events left from an earlier run are replayed first, in order.
        this.spooling = !spool.isEmpty();
        updateSpoolStats();
        this.sender = new Thread(this::run, "audit-publisher");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Hands the event to the sender; never blocks. False if it had to be dropped (queue full, or closed). */
    public boolean publish(AuditEvent event) {
        if (!running || !queue.offer(event)) {
            drop(1);
            return false;
        }
        published.incrementAndGet();
        return true;
    }

    private void run() {
        List<AuditEvent> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                AuditEvent first = queue.poll(20, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                spoolFailed();
                for (AuditEvent e : batch) {
                    if (spooling) {
                        toSpool(AuditEventCodec.encode(e));
                    } else {
                        sendDirect(e);
                    }
                }
                batch.clear();
                long now = System.nanoTime();
                if (now - lastSyncNanos >= settings.syncInterval().toNanos() || queue.isEmpty()) {
                    spool.sync();
                    lastSyncNanos = now;
                }
                if (spooling) {
                    replay();
                }
                updateSpoolStats();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "audit publisher: " + e, e);
                batch.clear();
                pause(settings.retryInterval());
            }
        }
    }

    private void sendDirect(AuditEvent e) {
        byte[] value = AuditEventCodec.encode(e);
        directInFlight.incrementAndGet();
        try {
            producer.send(new ProducerRecord<>(settings.topic(), e.module(), value), (md, ex) -> {
                if (ex == null) {
                    produced.incrementAndGet();
                } else {
                    failed.add(value);
                    spooling = true;
                }
                directInFlight.decrementAndGet();
            });
        } catch (RuntimeException ex) {
            // Metadata unavailable within max.block.ms, or the producer is closed.
            directInFlight.decrementAndGet();
            failed.add(value);
            spooling = true;
            probing = true;
        }
    }

    private void spoolFailed() throws IOException {
        byte[] v;
        while ((v = failed.poll()) != null) {
            toSpool(v);
        }
    }

    private void toSpool(byte[] value) throws IOException {
        if (spool.append(value)) {
            spooled.incrementAndGet();
        } else {
            drop(1);
        }
    }

    /** One step of the replay: harvest acknowledgements, then send more if the last window went well. */
    private void replay() throws IOException {
        long acked = 0;
        Spool.Entry last = null;
        while (!window.isEmpty() && window.peekFirst().ack().isDone()) {
            Pending p = window.pollFirst();
            try {
                p.ack().get();
                last = p.entry();
                acked++;
            } catch (Exception e) {
                // Everything after the acknowledged prefix is sent again later (the store dedupes).
                window.clear();
                if (last != null) {
                    spool.commit(last, acked);
                    replayed.addAndGet(acked);
                    produced.addAndGet(acked);
                }
                spool.rewind();
                probing = true;
                nextReplayNanos = System.nanoTime() + settings.retryInterval().toNanos();
                return;
            }
        }
        if (last != null) {
            spool.commit(last, acked);
            replayed.addAndGet(acked);
            produced.addAndGet(acked);
            probing = false;
        }
        if (!window.isEmpty() || System.nanoTime() < nextReplayNanos) {
            return;
        }
        if (spool.isEmpty() && failed.isEmpty() && directInFlight.get() == 0) {
            spooling = false;
            probing = true;
            return;
        }
        spool.sync();
        for (Spool.Entry e : spool.read(probing ? 1 : REPLAY_WINDOW)) {
            try {
                String key = keyOf(e.payload());
                window.add(new Pending(e, producer.send(new ProducerRecord<>(settings.topic(), key, e.payload()))));
            } catch (RuntimeException ex) {
                window.clear();
                spool.rewind();
                probing = true;
                nextReplayNanos = System.nanoTime() + settings.retryInterval().toNanos();
                return;
            }
        }
    }

    private static String keyOf(byte[] payload) {
        try {
            return AuditEventCodec.decode(payload).module();
        } catch (AuditEventCodec.MalformedEventException e) {
            return null;
        }
    }

    private void drop(long n) {
        dropped.addAndGet(n);
        lastDropNanos = System.nanoTime();
    }

    private void updateSpoolStats() {
        spoolBytes = spool.bytes();
        spoolPending = spool.pending();
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public State state() {
        if (dropped.get() > 0 && System.nanoTime() - lastDropNanos < DEGRADED_FOR.toNanos()) {
            return State.DEGRADED;
        }
        return spooling ? State.SPOOLING : State.DIRECT;
    }

    /** Events accepted by {@link #publish}. */
    public long published() { return published.get(); }
    /** Events the broker acknowledged (directly or from the spool). */
    public long produced() { return produced.get(); }
    /** Events written to the spool. */
    public long spooled() { return spooled.get(); }
    /** Spooled events the broker has since acknowledged. */
    public long replayed() { return replayed.get(); }
    /** Events lost: memory queue or spool full. */
    public long dropped() { return dropped.get(); }
    public int queued() { return queue.size(); }
    public long spoolBytes() { return spoolBytes; }
    public long spoolPending() { return spoolPending; }
    public long spoolMaxBytes() { return settings.spoolMaxBytes(); }

    /**
     * Stops taking events, sends what it can within {@code timeout}, and spools the rest (replayed
     * at the next start).
     */
    public void close(Duration timeout) {
        running = false;
        try {
            sender.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            sender.interrupt();
            try {
                sender.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(spooling ? Duration.ZERO : timeout);
        try {
            for (AuditEvent e; (e = queue.poll()) != null; ) {
                failed.add(AuditEventCodec.encode(e));
            }
            spoolFailed();
            spool.sync();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "audit publisher: could not spool unsent events at shutdown: " + e, e);
        } finally {
            spool.close();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
