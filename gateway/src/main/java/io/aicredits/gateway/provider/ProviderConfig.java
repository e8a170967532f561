package io.aicredits.gateway.provider;

import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.settings.RuntimeSettings;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Chooses the provider: {@code gateway.provider.mode} auto (OpenAI while a key is set, else the
 * sandbox), openai or sandbox. The key is the runtime setting {@code openai.api_key} when one is
 * set (Settings → AI), else {@code gateway.provider.openai.api-key}; it is read for every call, so
 * a key entered at runtime is used from the next call on.
 */
@Configuration(proxyBeanMethods = false)
class ProviderConfig {

    private static final Logger log = LoggerFactory.getLogger(ProviderConfig.class);

    @Bean
    OpenAiKeyCheck openAiKeyCheck(GatewayProperties properties, WebClient.Builder webClients, RuntimeSettings settings) {
        return new OpenAiKeyCheck(webClients, properties.provider().openai(), apiKey(properties, settings));
    }

    @Bean
    AiProvider aiProvider(GatewayProperties properties, WebClient.Builder webClients, RuntimeSettings settings) {
        GatewayProperties.Provider provider = properties.provider();
        GatewayProperties.OpenAi openai = provider.openai();
        Supplier<String> apiKey = apiKey(properties, settings);
        String mode = provider.mode().toLowerCase();
        switch (mode) {
            case "openai" -> {
                if (apiKey.get() == null) {
                    throw new IllegalStateException("gateway.provider.mode=openai needs gateway.provider.openai.api-key (env OPENAI_API_KEY)");
                }
                log.info("AI provider: OpenAI at {}", openai.baseUrl());
                return new OpenAiProvider(webClients, openai, apiKey);
            }
            case "sandbox" -> {
                log.info("AI provider: sandbox (test mode, no network)");
                return new SandboxProvider();
            }
            case "auto" -> {
                log.info("AI provider: OpenAI at {} while an API key is set (now: {}), else the sandbox",
                        openai.baseUrl(), apiKey.get() == null ? "none" : "set");
                return new KeyedProvider(new OpenAiProvider(webClients, openai, apiKey), new SandboxProvider(),
                        () -> apiKey.get() != null);
            }
            default -> throw new IllegalStateException("gateway.provider.mode must be auto, openai or sandbox, not " + mode);
        }
    }

    /** The runtime key when set, else the configured one; null when neither is. */
    static Supplier<String> apiKey(GatewayProperties properties, RuntimeSettings settings) {
        String configured = properties.provider().openai().apiKey();
        String fallback = configured == null || configured.isBlank() ? null : configured;
        return () -> settings.openAiApiKey().orElse(fallback);
    }

    /** OpenAI while a key is set, the sandbox otherwise; decided per call. */
    record KeyedProvider(AiProvider openai, AiProvider sandbox, java.util.function.BooleanSupplier hasKey) implements AiProvider {

        private AiProvider current() {
            return hasKey.getAsBoolean() ? openai : sandbox;
        }

        @Override
        public String name() {
            return current().name();
        }

        @Override
        public Mono<ChatResult> chat(String model, String systemPrompt, String userPrompt, int n, int maxTokens) {
            return current().chat(model, systemPrompt, userPrompt, n, maxTokens);
        }

        @Override
        public Mono<ImageResult> image(String model, String prompt, int width, int height) {
            return current().image(model, prompt, width, height);
        }

        @Override
        public Mono<TranscriptionResult> transcribe(String model, byte[] audio, String filename) {
            return current().transcribe(model, audio, filename);
        }

        @Override
        public Mono<java.util.Map<String, Object>> chatCompletion(java.util.Map<String, Object> request) {
            return current().chatCompletion(request);
        }

        @Override
        public reactor.core.publisher.Flux<String> chatCompletionStream(java.util.Map<String, Object> request) {
            return reactor.core.publisher.Flux.defer(() -> current().chatCompletionStream(request));
        }

        @Override
        public Mono<java.util.Map<String, Object>> embeddings(java.util.Map<String, Object> request) {
            return current().embeddings(request);
        }
    }

}
