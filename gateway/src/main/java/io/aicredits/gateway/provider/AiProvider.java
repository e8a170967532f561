package io.aicredits.gateway.provider;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * An AI backend. Every call reports what it really used, so the usage event carries the
 * provider's numbers. Failures are {@link ProviderException}s.
 */
public interface AiProvider {

    /** A short name for logs and metrics: {@code openai} or {@code sandbox}. */
    String name();

    /** Chat completion with {@code n} choices. */
    Mono<ChatResult> chat(String model, String systemPrompt, String userPrompt, int n, int maxTokens);

    /** One generated image of {@code width}×{@code height}, as PNG (or the provider's format) bytes. */
    Mono<ImageResult> image(String model, String prompt, int width, int height);

    /** Speech to text. */
    Mono<TranscriptionResult> transcribe(String model, byte[] audio, String filename);

    record ChatResult(List<String> choices, long promptTokens, long completionTokens) {
    }

    record ImageResult(byte[] bytes, String contentType, String revisedPrompt) {
    }

    record TranscriptionResult(String text, long audioSeconds) {
    }
}
