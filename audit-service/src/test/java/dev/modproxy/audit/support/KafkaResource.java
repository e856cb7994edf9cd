package dev.modproxy.audit.support;

import dev.modproxy.testing.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Kafka broker for every {@code @QuarkusTest} of this module (one per test run), and
 * settings that make segments quick to appear: short flushes, storage under {@code target/}.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaBroker broker;

    public static String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kafka");
            broker = KafkaBroker.start(dir);
            Path storage = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "audit-storage");
            return Map.of(
                    "kafka.bootstrap.servers", broker.bootstrapServers(),
                    "modproxy.storage.fs.root", storage.toString(),
                    "modproxy.audit.flush-interval", "300ms",
                    "modproxy.audit.segment-events", "2000",
                    // not the test broker's default (3): AuditTopicTest sees audit-service made it
                    "modproxy.audit.partitions", "4");
        } catch (Exception e) {
            throw new IllegalStateException("could not start Kafka: " + e, e);
        }
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
