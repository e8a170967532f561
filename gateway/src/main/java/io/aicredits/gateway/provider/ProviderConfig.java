package io.aicredits.gateway.provider;

import io.aicredits.gateway.GatewayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** Chooses the provider: {@code gateway.provider.mode} auto (OpenAI when a key is set), openai or sandbox. */
@Configuration(proxyBeanMethods = false)
class ProviderConfig {

    private static final Logger log = LoggerFactory.getLogger(ProviderConfig.class);

    @Bean
    AiProvider aiProvider(GatewayProperties properties, WebClient.Builder webClients) {
        GatewayProperties.Provider provider = properties.provider();
        GatewayProperties.OpenAi openai = provider.openai();
        boolean hasKey = openai.apiKey() != null && !openai.apiKey().isBlank();
        String mode = provider.mode().toLowerCase();
        switch (mode) {
            case "openai" -> {
                if (!hasKey) {
                    throw new IllegalStateException("gateway.provider.mode=openai needs gateway.provider.openai.api-key (env OPENAI_API_KEY)");
                }
            }
            case "sandbox" -> {
                log.info("AI provider: sandbox (test mode, no network)");
                return new SandboxProvider();
            }
            case "auto" -> {
                if (!hasKey) {
                    log.info("AI provider: sandbox (no OpenAI key configured)");
                    return new SandboxProvider();
                }
            }
            default -> throw new IllegalStateException("gateway.provider.mode must be auto, openai or sandbox, not " + mode);
        }
        log.info("AI provider: OpenAI at {}", openai.baseUrl());
        return new OpenAiProvider(webClients, openai);
    }
}
