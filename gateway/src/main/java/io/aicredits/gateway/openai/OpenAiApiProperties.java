package io.aicredits.gateway.openai;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The OpenAI-compatible {@code /v1} endpoints ({@code gateway.openai-api.*}).
 *
 * @param chatOperation          the metering operation a chat completion asks credits for (token-priced in the stream's catalog)
 * @param embeddingOperation     the same for {@code /v1/embeddings} (token-priced)
 * @param imageOperation         the same for {@code /v1/images/generations} (one image per request)
 * @param transcriptionOperation the same for {@code /v1/audio/transcriptions}
 * @param maxOutputTokens        model → most completion tokens it can produce; held when a request sets no {@code max_tokens}
 * @param defaultMaxOutputTokens the same for a priced model not in {@code max-output-tokens}
 * @param maxChoices             largest {@code n} accepted
 */
@ConfigurationProperties("gateway.openai-api")
public record OpenAiApiProperties(
        @DefaultValue("chat_completion") String chatOperation,
        @DefaultValue("embedding") String embeddingOperation,
        @DefaultValue("image_generation") String imageOperation,
        @DefaultValue("voice_to_text") String transcriptionOperation,
        Map<String, Integer> maxOutputTokens,
        @DefaultValue("4096") int defaultMaxOutputTokens,
        @DefaultValue("128") int maxChoices) {

    public OpenAiApiProperties {
        maxOutputTokens = maxOutputTokens == null ? Map.of() : Map.copyOf(maxOutputTokens);
    }

    /** The output limit of {@code model}. */
    public int maxOutputTokens(String model) {
        return maxOutputTokens.getOrDefault(model, defaultMaxOutputTokens);
    }
}
