package dev.modproxy.audit.events;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** Reads a topic from the start, as the audit-service would, for the publisher's tests. */
final class TopicRecords {

    private TopicRecords() {
    }

    /**
     * Every record of {@code topic}, polled until {@code enough} holds and two polls in a row
     * (a second) bring nothing more, or 60 s pass.
     */
    static List<ConsumerRecord<String, byte[]>> consume(String bootstrap, String topic,
            Predicate<List<ConsumerRecord<String, byte[]>>> enough) {
        Map<String, Object> c = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int quietPolls = 0;
            boolean done = false;
            while (System.nanoTime() < deadline && (!done || quietPolls < 2)) {
                var rs = consumer.poll(Duration.ofMillis(500));
                rs.forEach(out::add);
                done = done || enough.test(out);
                quietPolls = done && rs.isEmpty() ? quietPolls + 1 : 0;
            }
        }
        return out;
    }
}
