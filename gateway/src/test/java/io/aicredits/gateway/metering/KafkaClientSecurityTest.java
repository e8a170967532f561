package io.aicredits.gateway.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.gateway.kafka.KafkaClientProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The SASL settings docker-compose sets as environment variables reach the gateway's Kafka clients. */
class KafkaClientSecurityTest {

    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"gateway\" password=\"secret\";";
    /** As docker-compose.yml sets them, plus a setting a client also sets itself. */
    private static final Map<String, Object> ENVIRONMENT = Map.of(
            "SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
            "SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
            "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
            "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS,
            "SPRING_KAFKA_PROPERTIES_ACKS", "1");
    private static final Map<String, Object> SECURITY = Map.of(
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", JAAS);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(KafkaClientProperties.class)
    static class Binding {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, ENVIRONMENT)))
            .withUserConfiguration(Binding.class);

    @Test
    void shouldAddSpringKafkaPropertiesToEachClientWithoutReplacingItsOwnSettings() {
        runner.run(context -> {
            // Given the gateway's Kafka settings bound from the environment
            KafkaClientProperties kafka = context.getBean(KafkaClientProperties.class);

            // When a client (publisher, topic follower, settings producer) assembles its configuration
            Map<String, Object> config = kafka.clientConfig(Map.of("client.id", "gateway-1-settings", "acks", "all"));

            // Then it authenticates, and keeps its own settings
            assertThat(config).containsAllEntriesOf(SECURITY)
                    .containsEntry("bootstrap.servers", "kafka:9092")
                    .containsEntry("client.id", "gateway-1-settings")
                    .containsEntry("acks", "all");
        });
    }

    @Test
    void shouldPassSpringKafkaPropertiesToTheMeteringClientAndCreditCommands() {
        runner.run(context -> {
            // Given the metering client's configuration (decisions, usage; credit commands) from the environment
            var config = MeteringConfig.clientConfig(context.getBean(KafkaClientProperties.class)).instanceId("gateway-1").build();

            // Then its producers and its reply consumer get the security settings
            assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
            assertThat(config.kafkaOverrides()).containsAllEntriesOf(SECURITY);
        });
    }
}
