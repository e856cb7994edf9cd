package dev.modproxy.audit.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How modproxy's services reach a company's Kafka beyond {@code kafka.bootstrap.servers}: the
 * security settings of the Kafka clients, given as Quarkus properties {@code kafka.<setting>} (or
 * environment variables {@code KAFKA_<SETTING>}, e.g. {@code KAFKA_SECURITY_PROTOCOL=SASL_SSL}),
 * and passed unchanged to the gateway's producer and audit-service's consumer and admin client.
 * Only the settings listed in {@link #SETTINGS} are passed: a misspelt one would otherwise go to
 * Kafka silently ignored, and the tuning settings stay the ones modproxy chose for the audit
 * trail's guarantees (idempotence, acks, commits).
 */
public final class KafkaConnection {

    /** The client settings taken from configuration (Kafka's own names). */
    public static final List<String> SETTINGS = List.of(
            "security.protocol",
            "sasl.mechanism", "sasl.jaas.config",
            "sasl.client.callback.handler.class", "sasl.login.callback.handler.class",
            "sasl.oauthbearer.token.endpoint.url", "sasl.oauthbearer.scope.claim.name",
            "sasl.kerberos.service.name",
            "ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.certificates",
            "ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password",
            "ssl.keystore.certificate.chain", "ssl.keystore.key",
            "ssl.endpoint.identification.algorithm", "ssl.protocol", "ssl.enabled.protocols",
            "client.dns.lookup");

    private KafkaConnection() {
    }

    /**
     * The settings {@code lookup} finds, by property name ({@code kafka.security.protocol}, …),
     * ready to add to a Kafka client's configuration.
     */
    public static Map<String, Object> settings(Function<String, Optional<String>> lookup) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String s : SETTINGS) {
            lookup.apply("kafka." + s).filter(v -> !v.isBlank()).ifPresent(v -> out.put(s, v));
        }
        return out;
    }
}
