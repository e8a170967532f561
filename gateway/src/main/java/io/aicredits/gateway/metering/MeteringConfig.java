package io.aicredits.gateway.metering;

import io.aicredits.client.MeteringClient;
import io.aicredits.client.MeteringClientConfig;
import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.kafka.KafkaClientProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kafka side: one {@link MeteringClient} per gateway instance and the credit-command publisher. */
@Configuration(proxyBeanMethods = false)
class MeteringConfig {

    @Bean(destroyMethod = "close")
    MeteringClient meteringClient(GatewayProperties properties, KafkaClientProperties kafka) {
        return MeteringClient.start(meteringClientConfig(properties, kafka));
    }

    static MeteringClientConfig meteringClientConfig(GatewayProperties properties, KafkaClientProperties kafka) {
        GatewayProperties.Metering metering = properties.metering();
        MeteringClientConfig.Builder config = clientConfig(kafka)
                .instanceId(metering.instanceId())
                .decisionTimeout(metering.decisionTimeout())
                .sendTimeout(metering.sendTimeout());
        if (metering.replyPartition() >= 0) {
            config.replyPartition(metering.replyPartition());
        }
        return config.build();
    }

    /** The broker and {@code spring.kafka.properties.*} (security) for the metering client's producer and consumer. */
    static MeteringClientConfig.Builder clientConfig(KafkaClientProperties kafka) {
        MeteringClientConfig.Builder config = MeteringClientConfig.builder(kafka.bootstrapServers());
        kafka.properties().forEach(config::kafkaProperty);
        return config;
    }

    @Bean(destroyMethod = "close")
    CreditCommandPublisher creditCommandPublisher(GatewayProperties properties, KafkaClientProperties kafka) {
        return new CreditCommandPublisher(kafka, properties.metering().instanceId(), properties.metering().sendTimeout());
    }
}
