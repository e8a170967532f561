package io.aicredits.gateway.settings;

import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.kafka.IdempotentProducers;
import io.aicredits.gateway.kafka.KafkaClientProperties;
import java.time.Clock;
import org.apache.kafka.clients.producer.KafkaProducer;
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
        KafkaProducer<String, byte[]> producer = IdempotentProducers.create(kafka,
                properties.metering().instanceId() + "-settings", properties.metering().sendTimeout());
        return new SettingsService(runtime, producer, settings, properties, Clock.systemUTC());
    }
}
