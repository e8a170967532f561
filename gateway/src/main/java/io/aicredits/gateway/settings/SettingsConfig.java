package io.aicredits.gateway.settings;

import io.aicredits.gateway.GatewayProperties;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The settings consumer (every instance reads the whole compacted topic) and the publisher for changes. */
@Configuration(proxyBeanMethods = false)
class SettingsConfig {

    @Bean(destroyMethod = "close")
    RuntimeSettings runtimeSettings(SettingsProperties settings, GatewayProperties properties,
                                    @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        return new RuntimeSettings(bootstrapServers, settings.topic(), properties.metering().instanceId());
    }

    @Bean(destroyMethod = "close")
    SettingsService settingsService(RuntimeSettings runtime, SettingsProperties settings, GatewayProperties properties,
                                    @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        int sendMs = (int) properties.metering().sendTimeout().toMillis();
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, properties.metering().instanceId() + "-settings",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, sendMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(500, sendMs / 2),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, sendMs),
                new StringSerializer(), new ByteArraySerializer());
        return new SettingsService(runtime, producer, settings, properties, Clock.systemUTC());
    }
}
