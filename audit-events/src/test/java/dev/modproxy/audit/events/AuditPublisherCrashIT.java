package dev.modproxy.audit.events;

import dev.modproxy.testing.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 a publishing gateway (a real child JVM, {@link PublishUntilKilledMain}) mid-run, open a
 * publisher on its journal, and check that every event whose publish() had returned reaches the
 * topic — whether the child's broker was up (most events already sent) or unreachable (all of
 * them on disk).
 */
class AuditPublisherCrashIT {

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

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void killedWhileTheBrokerAnswersLosesNothing() throws Exception {
        killAndRecover("crash-up", broker.bootstrapServers());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void killedWhileTheBrokerIsUnreachableLosesNothing() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        killAndRecover("crash-down", "127.0.0.1:" + closedPort);
    }

    private void killAndRecover(String topic, String childBootstrap) throws Exception {
        Path journal = dir.resolve("journal");
        Set<UUID> printed = runAndKill(journal, childBootstrap, topic);
        assertTrue(printed.size() >= 20_000, "the child published " + printed.size());

        var settings = new AuditPublisher.Settings(topic, 10_000, journal, 256L << 20, 64 << 10,
                Duration.ofMillis(50), Duration.ofMillis(200));
        try (AuditPublisher p = new AuditPublisher(settings,
                AuditPublisher.producerConfig(broker.bootstrapServers(), Duration.ofSeconds(10)))) {
            assertTrue(p.spoolPending() > 0, "the killed child left events in the journal");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (p.spoolPending() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, p.spoolPending(), "replayed; dropped " + p.dropped());
            assertEquals(0, p.dropped());
        }
        Set<UUID> onTopic = consume(topic, printed.size());
        Set<UUID> missing = new HashSet<>(printed);
        missing.removeAll(onTopic);
        assertEquals(Set.of(), missing, missing.size() + " of " + printed.size() + " published events lost");
    }

    private static Set<UUID> runAndKill(Path journal, String bootstrap, String topic) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                PublishUntilKilledMain.class.getName(), journal.toString(), bootstrap, topic)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Set<UUID> printed = new HashSet<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while (printed.size() < 20_000 && (line = out.readLine()) != null) {
                printed.add(UUID.fromString(line));
            }
            assertTrue(child.isAlive(), "the child is still publishing when killed");
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close(), the sender mid-flight
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertFalse(child.isAlive());
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        // Whatever else the child printed before it died was published before it was printed.
        try {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.length() == 36) {
                    printed.add(UUID.fromString(line));
                }
            }
        } catch (IOException drainedAtExit) {
            // The JDK may close the pipe of a dead child: what was read is what counts.
        }
        return printed;
    }

    private static Set<UUID> consume(String topic, int atLeast) throws Exception {
        // Enough once atLeast distinct ids are in: a replay may repeat events (at least once).
        var records = TopicRecords.consume(broker.bootstrapServers(), topic,
                rs -> rs.stream().map(r -> java.nio.ByteBuffer.wrap(r.value())).distinct().count() >= atLeast);
        Set<UUID> ids = new HashSet<>();
        for (var r : records) {
            AuditEvent e = AuditEventCodec.decode(r.value());
            assertEquals(e.module(), r.key());
            ids.add(e.id());
        }
        return ids;
    }
}
