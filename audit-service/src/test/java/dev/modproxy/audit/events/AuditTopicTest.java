package dev.modproxy.audit.events;

import dev.modproxy.audit.support.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** audit-service creates the audit topic with modproxy.audit.partitions, not the broker's default. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
class AuditTopicTest {

    @Test
    void theTopicHasTheConfiguredPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers()))) {
            var d = admin.describeTopics(List.of("modproxy.audit")).allTopicNames().get(10, TimeUnit.SECONDS);
            assertEquals(4, d.get("modproxy.audit").partitions().size());
        }
    }
}
