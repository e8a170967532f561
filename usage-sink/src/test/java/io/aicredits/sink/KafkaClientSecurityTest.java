package io.aicredits.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The SASL settings docker-compose sets as environment variables reach the consumer and the
 * dead-letter producer settings {@link SinkConfiguration} hands to the sink (Spring Boot's
 * {@link KafkaProperties}, {@code spring.kafka.properties.*}).
 */
class KafkaClientSecurityTest {

    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"usage-sink\" password=\"secret\";";
    /** As docker-compose.yml sets them. */
    private static final Map<String, Object> ENVIRONMENT = Map.of(
            "SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
            "SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
            "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
            "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS);
    private static final Map<String, Object> SECURITY = Map.of(
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", JAAS);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(KafkaProperties.class)
    static class Binding {
    }

    @Test
    void shouldPassSpringKafkaPropertiesToTheConsumerAndTheDeadLetterProducer() {
        new ApplicationContextRunner()
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, ENVIRONMENT)))
                .withUserConfiguration(Binding.class)
                .run(context -> {
                    // Given Spring Boot's Kafka settings bound from the environment
                    KafkaProperties kafka = context.getBean(KafkaProperties.class);

                    // Then the consumer and producer settings SinkConfiguration passes to UsageSink carry them
                    assertThat(kafka.buildConsumerProperties()).containsAllEntriesOf(SECURITY);
                    assertThat(kafka.buildProducerProperties()).containsAllEntriesOf(SECURITY);
                    assertThat(kafka.buildConsumerProperties().get("bootstrap.servers").toString()).contains("kafka:9092");
                });
    }
}
