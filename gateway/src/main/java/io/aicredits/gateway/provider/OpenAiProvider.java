package io.aicredits.gateway.provider;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aicredits.gateway.GatewayProperties;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * OpenAI's REST API over a non-blocking {@link WebClient}: chat completions, image generations
 * ({@code b64_json}) and audio transcriptions ({@code verbose_json}, for the duration). The key is
 * sent as a bearer token and never appears in logs or error messages.
 */
public class OpenAiProvider implements AiProvider {

    private final WebClient http;
    private final Duration timeout;

    public OpenAiProvider(WebClient.Builder builder, GatewayProperties.OpenAi settings) {
        this(builder, settings, settings::apiKey);
    }

    /** @param apiKey the key for each call (e.g. a key set at runtime, else the configured one) */
    public OpenAiProvider(WebClient.Builder builder, GatewayProperties.OpenAi settings, Supplier<String> apiKey) {
        this.timeout = settings.timeout();
        // Thousands of calls may wait on OpenAI at once: a large pool, and waiters queue instead of failing.
        ConnectionProvider connections = ConnectionProvider.builder("openai")
                .maxConnections(settings.maxConnections())
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(settings.timeout())
                .build();
        this.http = builder.clone()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
                .baseUrl(settings.baseUrl())
                .filter((request, next) -> next.exchange(ClientRequest.from(request)
                        .headers(headers -> headers.setBearerAuth(apiKey.get())).build()))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(32 * 1024 * 1024))
                .build();
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public Mono<ChatResult> chat(String model, String systemPrompt, String userPrompt, int n, int maxTokens) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("messages", List.of(
                Map.of("role", "system", "content", systemPrompt),
                Map.of("role", "user", "content", userPrompt)));
        body.put("n", n);
        body.put("max_tokens", maxTokens);
        return call("chat completion", http.post().uri("/chat/completions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body), ChatCompletion.class)
                .map(completion -> {
                    if (completion.choices() == null || completion.choices().isEmpty() || completion.usage() == null) {
                        throw new ProviderException("OpenAI chat completion answered without choices or usage");
                    }
                    List<String> texts = completion.choices().stream()
                            .map(choice -> choice.message() == null ? "" : String.valueOf(choice.message().content()).strip())
                            .toList();
                    return new ChatResult(texts, completion.usage().promptTokens(), completion.usage().completionTokens());
                });
    }

    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
    };
    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS = new ParameterizedTypeReference<>() {
    };

    @Override
    public Mono<Map<String, Object>> chatCompletion(Map<String, Object> request) {
        return call("chat completion", http.post().uri("/chat/completions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request), JSON_OBJECT);
    }

    @Override
    public Mono<Map<String, Object>> embeddings(Map<String, Object> request) {
        return call("embeddings", http.post().uri("/embeddings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request), JSON_OBJECT);
    }

    /** The timeout applies to the wait for each event, so a long answer may stream for longer. */
    @Override
    public Flux<String> chatCompletionStream(Map<String, Object> request) {
        return http.post().uri("/chat/completions")
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .bodyValue(request)
                .retrieve()
                .onStatus(HttpStatusCode::isError, response -> failure("chat completion stream", response))
                .bodyToFlux(EVENTS)
                .timeout(timeout)
                .mapNotNull(ServerSentEvent::data)
                .takeWhile(data -> !"[DONE]".equals(data.strip()))
                .onErrorMap(error -> mapped("chat completion stream", error));
    }

    @Override
    public Mono<ImageResult> image(String model, String prompt, int width, int height) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("prompt", prompt);
        body.put("n", 1);
        body.put("size", width + "x" + height);
        body.put("response_format", "b64_json");
        return call("image generation", http.post().uri("/images/generations")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body), ImagesResponse.class)
                .map(response -> {
                    if (response.data() == null || response.data().isEmpty() || response.data().get(0).b64Json() == null) {
                        throw new ProviderException("OpenAI image generation answered without image data");
                    }
                    ImageData image = response.data().get(0);
                    try {
                        return new ImageResult(Base64.getDecoder().decode(image.b64Json()), "image/png", image.revisedPrompt());
                    } catch (IllegalArgumentException e) {
                        throw new ProviderException("OpenAI image generation answered with invalid base64 data", e);
                    }
                });
    }

    @Override
    public Mono<TranscriptionResult> transcribe(String model, byte[] audio, String filename) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("file", new ByteArrayResource(audio) {
            @Override
            public String getFilename() {
                return filename;
            }
        });
        parts.part("model", model);
        parts.part("response_format", "verbose_json");
        return call("audio transcription", http.post().uri("/audio/transcriptions")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build())), Transcription.class)
                .map(transcription -> {
                    double seconds = transcription.usage() != null && transcription.usage().seconds() != null
                            ? transcription.usage().seconds()
                            : transcription.duration() == null ? 0 : transcription.duration();
                    return new TranscriptionResult(transcription.text() == null ? "" : transcription.text(),
                            (long) Math.ceil(seconds));
                });
    }

    private <T> Mono<T> call(String what, WebClient.RequestHeadersSpec<?> request, Class<T> type) {
        return call(what, request, ParameterizedTypeReference.forType(type));
    }

    private <T> Mono<T> call(String what, WebClient.RequestHeadersSpec<?> request, ParameterizedTypeReference<T> type) {
        return request.retrieve()
                .onStatus(HttpStatusCode::isError, response -> failure(what, response))
                .bodyToMono(type)
                .timeout(timeout)
                .onErrorMap(error -> mapped(what, error))
                .switchIfEmpty(Mono.error(() -> new ProviderException("OpenAI " + what + " answered with an empty body")));
    }

    /** Every failure as a {@link ProviderException} that names the call and never the key. */
    private Throwable mapped(String what, Throwable error) {
        if (error instanceof ProviderException) {
            return error;
        }
        if (error instanceof TimeoutException) {
            return new ProviderException("OpenAI " + what + " did not answer within " + timeout.toSeconds() + " s", error);
        }
        // The cause (logged with the failure) names the host; the message users see does not.
        if (error instanceof WebClientRequestException request) {
            return new ProviderException("OpenAI " + what + " could not be reached ("
                    + request.getMostSpecificCause().getClass().getSimpleName() + ")", error);
        }
        return new ProviderException("OpenAI " + what + " failed (" + error.getClass().getSimpleName() + ")", error);
    }

    private static Mono<ProviderException> failure(String what, ClientResponse response) {
        return response.bodyToMono(ErrorEnvelope.class)
                .map(envelope -> envelope.error() == null || envelope.error().message() == null ? "" : ": " + redact(envelope.error().message()))
                .onErrorReturn("")
                .defaultIfEmpty("")
                .map(detail -> new ProviderException("OpenAI " + what + " failed with HTTP "
                        + response.statusCode().value() + detail, response.statusCode().value()));
    }

    /** OpenAI echoes (masked) keys in some errors; never pass them on. */
    static String redact(String message) {
        return message.replaceAll("sk-[A-Za-z0-9*_\\-]+", "sk-***");
    }

    record ChatCompletion(List<Choice> choices, Usage usage) {
    }

    record Choice(int index, Message message) {
    }

    record Message(String role, String content) {
    }

    record Usage(@JsonProperty("prompt_tokens") long promptTokens,
                 @JsonProperty("completion_tokens") long completionTokens) {
    }

    record ImagesResponse(List<ImageData> data) {
    }

    record ImageData(@JsonProperty("b64_json") String b64Json,
                     @JsonProperty("revised_prompt") String revisedPrompt) {
    }

    record Transcription(String text, Double duration, TranscriptionUsage usage) {
    }

    record TranscriptionUsage(String type, Double seconds) {
    }

    record ErrorEnvelope(ErrorBody error) {
    }

    record ErrorBody(String message, String type) {
    }
}
