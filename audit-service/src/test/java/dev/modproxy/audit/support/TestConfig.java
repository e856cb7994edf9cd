package dev.modproxy.audit.support;

import dev.modproxy.audit.config.AuditConfig;

import java.nio.file.Path;
import java.time.Duration;

/** {@link AuditConfig} with its documented defaults, for tests that run the services without Quarkus. */
public final class TestConfig implements AuditConfig {

    private final Duration retention;

    public TestConfig(Duration retention) {
        this.retention = retention;
    }

    @Override
    public Path dataDir() {
        return Path.of("target/test-data");
    }

    @Override
    public Audit audit() {
        return new Audit() {
            public String topic() { return "modproxy.audit"; }
            public String group() { return "modproxy-audit"; }
            public Duration retention() { return retention; }
            public Duration retentionInterval() { return Duration.ofHours(1); }
            public int partitions() { return 6; }
            public java.util.Optional<Short> replicationFactor() { return java.util.Optional.empty(); }
            public int segmentEvents() { return 5000; }
            public Duration flushInterval() { return Duration.ofSeconds(5); }
            public int defaultLimit() { return 100; }
            public int maxLimit() { return 1000; }
        };
    }
}
