package io.aicredits.gateway.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Spring Boot's own Kafka keys as the gateway reads them: the broker address and
 * {@code spring.kafka.properties.*}, client properties added to every Kafka client of the gateway
 * (security: {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}; environment
 * {@code SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG} and so on).
 */
@ConfigurationProperties("spring.kafka")
public record KafkaClientProperties(String bootstrapServers, Map<String, String> properties) {

    public KafkaClientProperties {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** Only a broker address, no extra properties (tests against a local broker). */
    public static KafkaClientProperties of(String bootstrapServers) {
        return new KafkaClientProperties(bootstrapServers, Map.of());
    }

    /**
     * One client's configuration: its own settings, the extra properties (which never replace a
     * setting the client sets itself) and the broker address.
     */
    public Map<String, Object> clientConfig(Map<String, Object> own) {
        Map<String, Object> config = new HashMap<>(own);
        properties.forEach(config::putIfAbsent);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }
}
