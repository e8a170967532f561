package io.aicredits.gateway.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** A shared {@link WebClient.Builder} (reactor-netty, Jackson 3 codecs) for the stream and OpenAI clients. */
@Configuration(proxyBeanMethods = false)
class WebClientConfig {

    @Bean
    @ConditionalOnMissingBean
    WebClient.Builder webClientBuilder() {
        return WebClient.builder();
    }
}
