package io.aicredits.gateway.openai;

import io.aicredits.gateway.GatewayProperties.ModelPrice;
import io.aicredits.gateway.apikeys.ApiKeyJwtDecoder;
import io.aicredits.gateway.generation.MeteredCall;
import io.aicredits.gateway.generation.MeteredCall.Ask;
import io.aicredits.gateway.generation.MeteredCall.Completed;
import io.aicredits.gateway.generation.MeteredCall.Usage;
import io.aicredits.gateway.pricing.ModelPrices;
import io.aicredits.gateway.provider.AiProvider;
import io.aicredits.gateway.provider.ChatTokens;
import io.aicredits.gateway.provider.SandboxProvider;
import io.aicredits.gateway.security.Caller;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/chat/completions} through the gateway's metered flow ({@link MeteredCall}): the
 * request is validated, credits are held for its prompt (counted with jtokkit) plus {@code n} times
 * its {@code max_completion_tokens}/{@code max_tokens} (or the model's output limit), the provider is
 * called, and the hold settles to the usage the provider reports (its cached prompt tokens priced at
 * the model's cached-input rate).
 *
 * <p>The provider call runs detached from the client's connection: a client that goes away (a cut
 * stream, a timeout) does not cancel it, so its usage is always reported. Streams always ask the
 * provider for usage ({@code stream_options.include_usage}); the usage chunk reaches the client only
 * when it asked for it. A stream that ends without usage is settled to jtokkit's count of the prompt
 * and of the streamed text.
 */
@Service
class ChatCompletions {

    private static final Logger log = LoggerFactory.getLogger(ChatCompletions.class);
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private static final String ENDPOINT = "/v1/chat/completions";

    private final MeteredCall metered;
    private final AiProvider provider;
    private final ModelPrices prices;
    private final OpenAiApiProperties properties;
    private final JsonMapper json;

    ChatCompletions(MeteredCall metered, AiProvider provider, ModelPrices prices, OpenAiApiProperties properties, JsonMapper json) {
        this.metered = metered;
        this.provider = provider;
        this.prices = prices;
        this.properties = properties;
        this.json = json;
    }

    /** A validated request: what to send upstream and what to hold. */
    record Checked(String model, Map<String, Object> body, boolean stream, boolean clientWantsUsage, long promptTokens,
                   long estimatedTokens) {
    }

    /** A non-streamed completion: OpenAI's JSON and the credits left after the hold. */
    record Answer(Map<String, Object> body, long creditsRemaining) {
    }

    /** A started stream: the {@code data} payloads for the client (without {@code [DONE]}) and the credits left after the hold. */
    record Stream(Flux<String> chunks, long creditsRemaining) {
    }

    /** {@code apiKeyId}: the API key the caller used, recorded on the usage row; null for a JWT. */
    Mono<Answer> complete(Caller caller, String apiKeyId, Checked request) {
        Mono<Completed<Map<String, Object>>> call = metered.run(ask(caller, apiKeyId, request), decision -> provider.chatCompletion(request.body())
                .map(body -> new Usage<>(body, promptTokens(body, request), completionTokens(body), 0, 0,
                        cachedTokens(body.get("usage")))));
        return detached(call).map(done -> new Answer(done.result(), done.creditsRemaining()));
    }

    /**
     * Answers once the provider sent its first chunk (so a refusal or a provider failure before it is
     * still an HTTP error); the chunks then flow as they arrive.
     */
    Mono<Stream> stream(Caller caller, String apiKeyId, Checked request) {
        Sinks.One<Stream> started = Sinks.one();
        Mono<Completed<Void>> call = metered.run(ask(caller, apiKeyId, request), decision -> {
            Sinks.Many<String> toClient = Sinks.many().unicast().onBackpressureBuffer();
            StreamUsage usage = new StreamUsage();
            AtomicBoolean first = new AtomicBoolean(true);
            return provider.chatCompletionStream(request.body())
                    .doOnNext(chunk -> {
                        boolean usageChunk = usage.read(chunk);
                        if (first.compareAndSet(true, false)) {
                            started.tryEmitValue(new Stream(toClient.asFlux(), decision.getBalance()));
                        }
                        if (!usageChunk || request.clientWantsUsage()) {
                            // After the client left, this fails quietly; reading on settles the call.
                            toClient.tryEmitNext(chunk);
                        }
                    })
                    .then(Mono.fromSupplier(() -> {
                        toClient.tryEmitComplete();
                        return usage.toUsage(request);
                    }))
                    .onErrorResume(error -> {
                        if (first.get()) {
                            return Mono.error(error);
                        }
                        // The provider broke off mid-stream: what was streamed was produced, so it is charged.
                        log.warn("Chat completion stream broke off after {} chunks: {}", usage.chunks, error.getMessage());
                        toClient.tryEmitError(error);
                        return Mono.just(usage.toUsage(request));
                    });
        });
        detached(call).subscribe(done -> {
        }, started::tryEmitError, () -> started.tryEmitError(new IllegalStateException("stream ended without an answer")));
        return started.asMono();
    }

    /** Runs {@code call} to the end whatever the subscriber does (cancelling it only stops the wait). */
    static <T> Mono<T> detached(Mono<T> call) {
        return Mono.fromFuture(call.toFuture(), true);
    }

    private Ask ask(Caller caller, String apiKeyId, Checked request) {
        Map<String, String> metadata = metadata(ENDPOINT, apiKeyId);
        metadata.put("stream", Boolean.toString(request.stream()));
        return new Ask(caller.userId(), "req-" + UUID.randomUUID(), properties.chatOperation(), request.model(),
                request.estimatedTokens(), metadata);
    }

    /** What every {@code /v1} usage row carries: the endpoint and, for an API key, its id. */
    static Map<String, String> metadata(String endpoint, String apiKeyId) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("endpoint", endpoint);
        if (apiKeyId != null) {
            metadata.put(ApiKeyJwtDecoder.KEY_ID_CLAIM, apiKeyId);
        }
        return metadata;
    }

    // ---------------------------------------------------------------- validation

    Checked check(Map<String, Object> body) {
        if (body == null) {
            throw OpenAiApiException.invalid(null, "We could not parse the JSON body of your request. The body must be a JSON object.");
        }
        String model = model(body.get("model"));
        ModelPrice price = prices.price(model).orElseThrow(() -> OpenAiApiException.modelNotFound(model));
        if (price.inputPer1k() == null && price.outputPer1k() == null) {
            throw OpenAiApiException.invalid("model", "The model `" + model + "` is not a chat model (it has no token prices).");
        }
        List<?> messages = messages(body.get("messages"));
        boolean stream = flag(body, "stream");
        Object options = body.get("stream_options");
        if (options != null && !stream) {
            throw OpenAiApiException.invalid("stream_options", "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
        }
        if (options != null && !(options instanceof Map<?, ?>)) {
            throw OpenAiApiException.invalid("stream_options", "'stream_options' must be an object.");
        }
        boolean clientWantsUsage = options instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("include_usage"));
        long n = integer(body, "n", 1, properties.maxChoices(), 1);
        int limit = properties.maxOutputTokens(model);
        long maxTokens = body.containsKey("max_completion_tokens")
                ? integer(body, "max_completion_tokens", 1, limit, limit)
                : integer(body, "max_tokens", 1, limit, limit);
        long prompt = ChatTokens.prompt(messages);
        Map<String, Object> upstream = new LinkedHashMap<>(body);
        if (stream) {
            Map<String, Object> streamOptions = new LinkedHashMap<>();
            if (options instanceof Map<?, ?> map) {
                map.forEach((key, value) -> streamOptions.put(String.valueOf(key), value));
            }
            streamOptions.put("include_usage", true);
            upstream.put("stream_options", streamOptions);
        }
        return new Checked(model, upstream, stream, clientWantsUsage, prompt, prompt + n * maxTokens);
    }

    static String model(Object value) {
        if (value == null) {
            throw OpenAiApiException.invalid("model", "you must provide a model parameter");
        }
        if (!(value instanceof String model) || model.isBlank()) {
            throw OpenAiApiException.invalid("model", "'model' must be a non-empty string.");
        }
        return model;
    }

    private static List<?> messages(Object value) {
        if (value == null) {
            throw OpenAiApiException.invalid("messages", "Missing required parameter: 'messages'.");
        }
        if (!(value instanceof List<?> messages) || messages.isEmpty()) {
            throw OpenAiApiException.invalid("messages", "'messages' must be a non-empty array.");
        }
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.get(i) instanceof Map<?, ?> message)) {
                throw OpenAiApiException.invalid("messages[" + i + "]", "'messages[" + i + "]' must be an object.");
            }
            if (!(message.get("role") instanceof String role) || !ROLES.contains(role)) {
                throw OpenAiApiException.invalid("messages[" + i + "].role", "'messages[" + i + "].role' must be one of "
                        + new java.util.TreeSet<>(ROLES) + ", not " + message.get("role") + ".");
            }
            Object content = message.get("content");
            if (content != null && !(content instanceof String) && !(content instanceof List<?>)) {
                throw OpenAiApiException.invalid("messages[" + i + "].content",
                        "'messages[" + i + "].content' must be a string or an array of content parts.");
            }
        }
        return messages;
    }

    private static boolean flag(Map<String, Object> body, String name) {
        Object value = body.get(name);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean flag)) {
            throw OpenAiApiException.invalid(name, "'" + name + "' must be a boolean, not " + value + ".");
        }
        return flag;
    }

    static long integer(Map<String, Object> body, String name, long min, long max, long absent) {
        Object value = body.get(name);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            throw OpenAiApiException.invalid(name, "'" + name + "' must be an integer, not " + value + ".");
        }
        long number = ((Number) value).longValue();
        if (number < min || number > max) {
            throw OpenAiApiException.invalid(name, "'" + name + "' must be between " + min + " and " + max
                    + " for this model, not " + number + ".");
        }
        return number;
    }

    // ---------------------------------------------------------------- usage

    /** The provider's {@code usage.prompt_tokens}, or jtokkit's count of the prompt when it reports none. */
    private static long promptTokens(Map<String, Object> body, Checked request) {
        return usageField(body.get("usage"), "prompt_tokens").orElse(request.promptTokens());
    }

    /** The provider's {@code usage.completion_tokens}, or jtokkit's count of the choices' text. */
    private static long completionTokens(Map<String, Object> body) {
        return usageField(body.get("usage"), "completion_tokens").orElseGet(() -> {
            long tokens = 0;
            if (body.get("choices") instanceof List<?> choices) {
                for (Object choice : choices) {
                    if (choice instanceof Map<?, ?> map && map.get("message") instanceof Map<?, ?> message) {
                        tokens += SandboxProvider.countTokens(ChatTokens.text(message.get("content")));
                    }
                }
            }
            return tokens;
        });
    }

    /** {@code usage.prompt_tokens_details.cached_tokens}, 0 when absent. */
    private static long cachedTokens(Object usage) {
        return usage instanceof Map<?, ?> map ? usageField(map.get("prompt_tokens_details"), "cached_tokens").orElse(0L) : 0;
    }

    static java.util.Optional<Long> usageField(Object usage, String field) {
        return usage instanceof Map<?, ?> map && map.get(field) instanceof Number number
                ? java.util.Optional.of(number.longValue()) : java.util.Optional.empty();
    }

    /** What a stream used: the usage chunk's numbers, else the streamed text counted. */
    private final class StreamUsage {
        private Map<?, ?> reported;
        private final StringBuilder streamed = new StringBuilder();
        private long chunks;

        /** Reads one chunk; true when it is the usage chunk (usage set, no choices). */
        boolean read(String chunk) {
            chunks++;
            Map<?, ?> parsed;
            try {
                parsed = json.readValue(chunk, Map.class);
            } catch (RuntimeException e) {
                log.warn("Unreadable chat completion chunk passed on as is: {}", e.getMessage());
                return false;
            }
            if (parsed.get("choices") instanceof List<?> choices) {
                for (Object choice : choices) {
                    if (choice instanceof Map<?, ?> map && map.get("delta") instanceof Map<?, ?> delta
                            && delta.get("content") instanceof String text) {
                        streamed.append(text);
                    }
                }
            }
            if (parsed.get("usage") instanceof Map<?, ?> usage) {
                reported = usage;
                return !(parsed.get("choices") instanceof List<?> choices) || choices.isEmpty();
            }
            return false;
        }

        Usage<Void> toUsage(Checked request) {
            long prompt = usageField(reported, "prompt_tokens").orElse(request.promptTokens());
            long completion = usageField(reported, "completion_tokens").orElseGet(() -> SandboxProvider.countTokens(streamed.toString()));
            return new Usage<>(null, prompt, completion, 0, 0, cachedTokens(reported));
        }
    }
}
