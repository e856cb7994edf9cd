package dev.modproxy.audit.events;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KafkaConnectionTest {

    @Test
    void securitySettingsAreTakenByTheirKafkaNames() {
        Map<String, String> config = Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
                "kafka.ssl.truststore.location", "/etc/kafka/ca.p12",
                "kafka.ssl.truststore.type", "",
                "kafka.acks", "0",
                "kafka.bootstrap.servers", "k:9093");
        Map<String, Object> s = KafkaConnection.settings(name -> Optional.ofNullable(config.get(name)));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", config.get("kafka.sasl.jaas.config"),
                "ssl.truststore.location", "/etc/kafka/ca.p12"), s, "blank values and modproxy's own tuning are left out");
    }
}
