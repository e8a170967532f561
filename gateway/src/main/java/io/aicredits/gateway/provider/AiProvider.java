package io.aicredits.gateway.provider;

import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
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

    /**
     * An OpenAI chat completion: {@code request} is the body of {@code POST /chat/completions} (already
     * validated, passed on as is, {@code stream} false); the answer is the provider's JSON body, whose
     * {@code usage} the caller settles to.
     */
    Mono<Map<String, Object>> chatCompletion(Map<String, Object> request);

    /**
     * The same with {@code stream: true}: the {@code data} of each server-sent event (one
     * {@code chat.completion.chunk} JSON each) in order, without the closing {@code [DONE]}. The provider
     * always ends with a usage chunk ({@code choices: []}, {@code usage}) when the request asks for it
     * with {@code stream_options.include_usage}.
     */
    Flux<String> chatCompletionStream(Map<String, Object> request);

    /**
     * OpenAI embeddings: {@code request} is the body of {@code POST /embeddings} (validated, passed on as
     * is); the answer is the provider's JSON body with its {@code usage.prompt_tokens}.
     */
    Mono<Map<String, Object>> embeddings(Map<String, Object> request);

    record ChatResult(List<String> choices, long promptTokens, long completionTokens) {
    }

    record ImageResult(byte[] bytes, String contentType, String revisedPrompt) {
    }

    record TranscriptionResult(String text, long audioSeconds) {
    }
}
