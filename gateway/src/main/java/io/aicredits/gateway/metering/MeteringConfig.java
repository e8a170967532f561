package io.aicredits.gateway.metering;

import io.aicredits.client.MeteringClient;
import io.aicredits.client.MeteringClientConfig;
import io.aicredits.gateway.GatewayProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kafka side: one {@link MeteringClient} per gateway instance and the credit-command publisher. */
@Configuration(proxyBeanMethods = false)
class MeteringConfig {

    @Bean(destroyMethod = "close")
    MeteringClient meteringClient(GatewayProperties properties,
                                  @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        GatewayProperties.Metering metering = properties.metering();
        MeteringClientConfig.Builder config = MeteringClientConfig.builder(bootstrapServers)
                .instanceId(metering.instanceId())
                .decisionTimeout(metering.decisionTimeout())
                .sendTimeout(metering.sendTimeout());
        if (metering.replyPartition() >= 0) {
            config.replyPartition(metering.replyPartition());
        }
        return MeteringClient.start(config.build());
    }

    @Bean(destroyMethod = "close")
    CreditCommandPublisher creditCommandPublisher(GatewayProperties properties,
                                                  @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        return new CreditCommandPublisher(bootstrapServers, properties.metering().instanceId(), properties.metering().sendTimeout());
    }
}
