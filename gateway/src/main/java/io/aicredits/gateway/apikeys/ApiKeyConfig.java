package io.aicredits.gateway.apikeys;

import io.aicredits.gateway.GatewayProperties;
import java.time.Clock;
import java.time.Duration;
import io.aicredits.gateway.kafka.KafkaClientProperties;
import io.aicredits.gateway.kafka.RecordPublisher;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The API key registry (every instance reads the whole compacted topic), the admin service, and the
 * bearer-token decoder that accepts keys besides JWTs: it wraps the security configuration's
 * {@code jwtDecoder} and is the one the resource server uses ({@link Primary}).
 */
@Configuration(proxyBeanMethods = false)
class ApiKeyConfig {

    @Bean(destroyMethod = "close")
    ApiKeyRegistry apiKeyRegistry(GatewayProperties properties, KafkaClientProperties kafka) {
        return new ApiKeyRegistry(kafka, properties.metering().instanceId());
    }

    @Bean(destroyMethod = "close")
    RecordPublisher apiKeyPublisher(GatewayProperties properties, KafkaClientProperties kafka) {
        return new RecordPublisher(kafka, properties.metering().instanceId() + "-api-keys", properties.metering().sendTimeout());
    }

    @Bean
    ApiKeyService apiKeyService(ApiKeyRegistry registry, RecordPublisher apiKeyPublisher,
                                @Value("${gateway.api-keys.apply-timeout:10s}") Duration applyTimeout) {
        return new ApiKeyService(registry, apiKeyPublisher, applyTimeout, Clock.systemUTC());
    }

    @Bean
    @Primary
    ReactiveJwtDecoder apiKeyOrJwtDecoder(ApiKeyRegistry registry, @Qualifier("jwtDecoder") ReactiveJwtDecoder jwtDecoder) {
        return new ApiKeyJwtDecoder(registry, jwtDecoder);
    }
}
