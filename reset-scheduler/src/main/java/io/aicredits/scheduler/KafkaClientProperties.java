package io.aicredits.scheduler;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Spring Boot's own Kafka keys as the scheduler reads them: the broker address and
 * {@code spring.kafka.properties.*}, client properties added to every Kafka client (security:
 * {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}; environment
 * {@code SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG} and so on).
 */
@ConfigurationProperties("spring.kafka")
record KafkaClientProperties(@DefaultValue("localhost:9092") String bootstrapServers, Map<String, String> properties) {

    KafkaClientProperties {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
