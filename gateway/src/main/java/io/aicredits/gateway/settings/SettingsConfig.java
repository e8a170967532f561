package io.aicredits.gateway.settings;

import io.aicredits.gateway.GatewayProperties;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.aicredits.gateway.kafka.KafkaClientProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The settings consumer (every instance reads the whole compacted topic) and the publisher for changes. */
@Configuration(proxyBeanMethods = false)
class SettingsConfig {

    @Bean(destroyMethod = "close")
    RuntimeSettings runtimeSettings(SettingsProperties settings, GatewayProperties properties, KafkaClientProperties kafka) {
        return new RuntimeSettings(kafka, settings.topic(), properties.metering().instanceId());
    }

    @Bean(destroyMethod = "close")
    SettingsService settingsService(RuntimeSettings runtime, SettingsProperties settings, GatewayProperties properties,
                                    KafkaClientProperties kafka) {
        int sendMs = (int) properties.metering().sendTimeout().toMillis();
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientConfig(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, properties.metering().instanceId() + "-settings",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, sendMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(500, sendMs / 2),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, sendMs)),
                new StringSerializer(), new ByteArraySerializer());
        return new SettingsService(runtime, producer, settings, properties, Clock.systemUTC());
    }
}
