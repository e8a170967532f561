package io.aicredits.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The SASL settings docker-compose sets as environment variables reach both of the scheduler's Kafka clients. */
class KafkaClientSecurityTest {

    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"reset-scheduler\" password=\"secret\";";
    /** As docker-compose.yml sets them. */
    private static final Map<String, Object> ENVIRONMENT = Map.of(
            "SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
            "SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
            "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
            "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS,
            "SCHEDULER_KAFKA_REQUEST_TIMEOUT_MS", "5000");
    private static final Map<String, Object> SECURITY = Map.of(
            "bootstrap.servers", "kafka:9092",
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", JAAS);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, ENVIRONMENT)))
            .withUserConfiguration(SchedulerConfiguration.class);

    @Test
    void shouldPassSpringKafkaPropertiesToTheProducerAndTheReader() {
        runner.run(context -> {
            // Given the scheduler's clients as configured from the environment
            KafkaClientFactory clients = context.getBean(KafkaClientFactory.class);

            // Then both carry the security settings, and the scheduler's own extras too
            assertThat(clients.producerConfig()).containsAllEntriesOf(SECURITY)
                    .containsEntry("transactional.id", "reset-scheduler")
                    .containsEntry("request.timeout.ms", "5000");
            assertThat(clients.readerConfig()).containsAllEntriesOf(SECURITY)
                    .containsEntry("isolation.level", "read_committed");
        });
    }
}
