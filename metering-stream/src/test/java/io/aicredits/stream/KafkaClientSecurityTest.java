package io.aicredits.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The SASL settings docker-compose sets as environment variables reach every client Kafka Streams creates. */
class KafkaClientSecurityTest {

    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"metering-stream\" password=\"secret\";";
    /** As docker-compose.yml sets them. */
    private static final Map<String, Object> ENVIRONMENT = Map.of(
            "SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
            "SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
            "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
            "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS);
    private static final Map<String, Object> SECURITY = Map.of(
            "bootstrap.servers", "kafka:9092",
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", JAAS);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({MeteringProperties.class, KafkaClientProperties.class})
    static class Binding {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, ENVIRONMENT)))
            .withUserConfiguration(Binding.class);

    @Test
    void shouldPassSpringKafkaPropertiesToEveryStreamsClient() {
        runner.run(context -> {
            // Given the stream's configuration as the app assembles it from the environment
            StreamsConfig config = new StreamsConfig(MeteringStreamsConfig.create(MeteringStreamApplication.streamsOverrides(
                    context.getBean(MeteringProperties.class), context.getBean(KafkaClientProperties.class))));

            // Then producers, consumers (main, restore, global) and the admin client all authenticate
            assertThat(config.getProducerConfigs("client")).containsAllEntriesOf(SECURITY);
            assertThat(config.getMainConsumerConfigs("metering-stream", "client", 0)).containsAllEntriesOf(SECURITY);
            assertThat(config.getRestoreConsumerConfigs("client")).containsAllEntriesOf(SECURITY);
            assertThat(config.getGlobalConsumerConfigs("client")).containsAllEntriesOf(SECURITY);
            assertThat(config.getAdminConfigs("client")).containsAllEntriesOf(SECURITY);
            assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        });
    }
}
