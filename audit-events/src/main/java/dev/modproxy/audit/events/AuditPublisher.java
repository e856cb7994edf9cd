package dev.modproxy.audit.events;

import dev.modproxy.audit.events.journal.Journal;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

public final class AuditPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AuditPublisher.class.getName());
    private static final Duration DEGRADED_FOR = Duration.ofMinutes(5);
    /** The sender's longest nap when idle; a publish wakes it sooner. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The sender's nap while acknowledgements are outstanding. */
    private static final long ACK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Most records sent per turn of the sender, so acknowledgements are taken in between. */
    private static final int SEND_BATCH = 1000;

    /** How the publisher is doing, for health checks. */
    public enum State { DIRECT, SPOOLING, DEGRADED }

    /**
     * @param topic          Kafka topic
     * @param queueCapacity  most events sent to the broker and not yet acknowledged
     * @param spoolDir       directory of the journal (the spool)
     * @param spoolMaxBytes  the journal's bound (events not yet acknowledged); beyond it events are dropped
     * @param spoolSegmentBytes size of one journal segment (mapped into memory; at most 1 GiB)
     * @param syncInterval   longest time an event waits to be forced to disk (machine crashes)
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
    private final Journal journal;
    private final Thread sender;
    private volatile boolean running = true;
    private volatile long stopDeadline;
    private volatile boolean senderWaiting;
    private volatile boolean spooling;
    private volatile boolean drained;
    private boolean closed;

    private final LongAdder spooled = new LongAdder();
    private final LongAdder droppedCount = new LongAdder();
    private volatile long produced;
    private volatile long replayed;
    private volatile int inFlight;
    private volatile long lastDropNanos;

    // Sender-thread state.
    private record Pending(Journal.Entry entry, Future<RecordMetadata> ack, boolean replay) {
    }
    private final ArrayDeque<Pending> window = new ArrayDeque<>();
    private boolean brokerAway;
    private boolean probing;
    private long nextAttemptNanos;
    private long lastSyncNanos = System.nanoTime();

    public AuditPublisher(Settings settings, Map<String, Object> producerConfig) throws IOException {
        this(settings, new KafkaProducer<>(producerConfig));
    }

    public AuditPublisher(Settings settings, Producer<String, byte[]> producer) throws IOException {
        if (settings.spoolSegmentBytes() > 1 << 30) {
            throw new IllegalArgumentException("spool segment larger than 1 GiB: " + settings.spoolSegmentBytes());
        }
        this.settings = settings;
        this.producer = producer;
        try {
            this.journal = new Journal(settings.spoolDir(), settings.spoolMaxBytes(), (int) settings.spoolSegmentBytes());
        } catch (IOException | RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        // Events left from an earlier run are replayed first, in order.
        long left = journal.recovered();
        if (left > 0) {
            spooling = true;
            spooled.add(left);
        }
        this.sender = new Thread(this::run, "audit-publisher");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /**
     * Writes the event ahead to the journal; when this returns true the event survives a kill -9.
     * Never blocks on the network, never throws. False if it had to be dropped (journal full, or
     * closed).
     */
    public boolean publish(AuditEvent event) {
        boolean ok;
        try {
            String module = event.module();
            ok = journal.append(module == null ? null : module.getBytes(StandardCharsets.UTF_8),
                    AuditEventCodec.encode(event));
        } catch (RuntimeException e) {
            ok = false;
        }
        if (!ok) {
            drop();
            return false;
        }
        if (spooling) {
            spooled.increment();
        }
        if (senderWaiting) {
            LockSupport.unpark(sender);
        }
        return true;
    }

    private void run() {
        while (true) {
            try {
                if (!running && (brokerAway || (window.isEmpty() && journal.caughtUp())
                        || System.nanoTime() - stopDeadline > 0)) {
                    drained = window.isEmpty() && journal.caughtUp();
                    break;
                }
                boolean progress = harvest();
                progress |= send();
                long now = System.nanoTime();
                if (now - lastSyncNanos >= settings.syncInterval().toNanos()) {
                    journal.sync();
                    lastSyncNanos = now;
                }
                inFlight = window.size();
                if (!progress) {
                    idle();
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "audit publisher: " + e, e);
                LockSupport.parkNanos(settings.retryInterval().toNanos());
            }
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
    }

    /** Naps until a publish, an acknowledgement may be due, or the next retry. */
    private void idle() {
        long nap = window.isEmpty() ? IDLE_NANOS : ACK_POLL_NANOS;
        if (brokerAway) {
            nap = Math.max(ACK_POLL_NANOS, Math.min(nap, nextAttemptNanos - System.nanoTime()));
        }
        senderWaiting = true;
        // Checked after announcing the wait: a publish either sees the flag or is seen here.
        if (window.isEmpty() && !brokerAway && !journal.caughtUp()) {
            senderWaiting = false;
            return;
        }
        LockSupport.parkNanos(this, nap);
        senderWaiting = false;
    }

    /** Takes the acknowledged prefix of the window and commits it. True if anything was acknowledged. */
    private boolean harvest() {
        long acked = 0;
        long bytes = 0;
        long fromReplay = 0;
        Journal.Entry last = null;
        while (!window.isEmpty() && window.peekFirst().ack().isDone()) {
            Pending p = window.peekFirst();
            try {
                p.ack().get();
            } catch (Exception e) {
                failed(e);
                break;
            }
            window.pollFirst();
            last = p.entry();
            acked++;
            bytes += last.bytes();
            if (p.replay()) {
                fromReplay++;
            }
        }
        if (last != null) {
            journal.commit(last, acked, bytes);
            produced += acked;
            replayed += fromReplay;
            if (brokerAway) {
                LOG.info("audit publisher: the broker acknowledges again; replaying the journal");
            }
            brokerAway = false;
            probing = false;
        }
        return last != null;
    }

    /** Sends the next records of the journal, as far as the window allows. True if any went. */
    private boolean send() {
        if (brokerAway && System.nanoTime() - nextAttemptNanos < 0) {
            return false;
        }
        int room = probing ? (window.isEmpty() ? 1 : 0) : Math.min(SEND_BATCH, settings.queueCapacity() - window.size());
        int sent = 0;
        boolean replay = spooling;
        for (; sent < room; sent++) {
            Journal.Entry e = journal.read();
            if (e == null) {
                break;
            }
            try {
                String key = e.key() == null ? null : new String(e.key(), StandardCharsets.UTF_8);
                Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(settings.topic(), key, e.value()));
                window.add(new Pending(e, ack, replay));
                if (ack.isDone()) {
                    // Failed at once (no metadata within max.block.ms): harvest() takes it from here.
                    sent++;
                    break;
                }
            } catch (RuntimeException ex) {
                // Metadata unavailable within max.block.ms, or the producer is closed.
                failed(ex);
                return true;
            }
        }
        // Caught up with everything appended and nothing failing: events no longer wait on disk.
        if (spooling && !brokerAway && !probing && journal.caughtUp() && journal.pendingRecords() <= settings.queueCapacity()) {
            spooling = false;
        } else if (!spooling && journal.pendingRecords() > settings.queueCapacity()) {
            spooling = true; // the broker does not keep up: the backlog grows on disk
        }
        return sent > 0;
    }

    /** A send failed: everything after the committed position is sent again after a pause (the store dedupes). */
    private void failed(Exception e) {
        if (!brokerAway) {
            LOG.warning("audit publisher: the broker does not acknowledge (" + e + "); events wait in the journal");
        }
        window.clear();
        journal.rewind();
        brokerAway = true;
        probing = true;
        spooling = true;
        nextAttemptNanos = System.nanoTime() + settings.retryInterval().toNanos();
    }

    private void drop() {
        droppedCount.increment();
        lastDropNanos = System.nanoTime();
    }

    public State state() {
        if (droppedCount.sum() > 0 && System.nanoTime() - lastDropNanos < DEGRADED_FOR.toNanos()) {
            return State.DEGRADED;
        }
        return spooling ? State.SPOOLING : State.DIRECT;
    }

    /** Events accepted by {@link #publish} (written to the journal). */
    public long published() { return journal.appended(); }
    /** Events the broker acknowledged (including those an earlier run left). */
    public long produced() { return produced; }
    /** Events that had to wait on disk for the broker: published while spooling, or left by an earlier run. */
    public long spooled() { return spooled.sum(); }
    /** Events the broker acknowledged after waiting on disk. */
    public long replayed() { return replayed; }
    /** Events lost: the journal was full (or closed). */
    public long dropped() { return droppedCount.sum(); }
    /** Events sent to the broker and not yet acknowledged. */
    public int queued() { return inFlight; }
    /** Bytes of journal records not yet acknowledged. */
    public long spoolBytes() { return journal.pendingBytes(); }
    /** Journal records not yet acknowledged. */
    public long spoolPending() { return journal.pendingRecords(); }
    public long spoolMaxBytes() { return settings.spoolMaxBytes(); }

    /**
     * Stops taking events and sends what is left within {@code timeout} (unless the broker is
     * away); whatever is not acknowledged stays in the journal and is replayed at the next start.
     */
    public synchronized void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        journal.closeForAppends();
        stopDeadline = System.nanoTime() + timeout.toNanos();
        running = false;
        LockSupport.unpark(sender);
        try {
            sender.join(timeout.toMillis() + 1000);
            if (sender.isAlive()) {
                sender.interrupt();
                sender.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(drained ? timeout : Duration.ZERO);
        if (sender.isAlive()) {
            // Never unmap what a live thread may read; the mappings go with the process.
            LOG.warning("audit publisher: the sender did not stop; the journal is left as it is");
            return;
        }
        try {
            journal.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "audit publisher: could not close the journal: " + e, e);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
