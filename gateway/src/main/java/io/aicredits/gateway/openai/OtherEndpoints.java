package io.aicredits.gateway.openai;

import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.GatewayProperties.ModelPrice;
import io.aicredits.gateway.generation.MeteredCall;
import io.aicredits.gateway.generation.MeteredCall.Ask;
import io.aicredits.gateway.generation.MeteredCall.Usage;
import io.aicredits.gateway.pricing.ModelPrices;
import io.aicredits.gateway.provider.AiProvider;
import io.aicredits.gateway.provider.SandboxProvider;
import io.aicredits.gateway.security.Caller;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/embeddings}, {@code /v1/images/generations} and {@code /v1/audio/transcriptions}
 * through the metered flow: embeddings hold the input's jtokkit count and settle to the provider's
 * {@code usage.prompt_tokens}; an image and a transcription cost their catalog price, and their USD
 * cost comes from the model's per-image and per-minute prices.
 */
@Service
class OtherEndpoints {

    private static final Pattern SIZE = Pattern.compile("(\\d{2,5})x(\\d{2,5})");
    private static final int MAX_AUDIO_BYTES = 25 * 1024 * 1024;

    private final MeteredCall metered;
    private final AiProvider provider;
    private final ModelPrices prices;
    private final OpenAiApiProperties properties;
    private final GatewayProperties.Image images;

    OtherEndpoints(MeteredCall metered, AiProvider provider, ModelPrices prices, OpenAiApiProperties properties,
                   GatewayProperties gateway) {
        this.metered = metered;
        this.provider = provider;
        this.prices = prices;
        this.properties = properties;
        this.images = gateway.image();
    }

    Mono<Map<String, Object>> embeddings(Caller caller, String apiKeyId, Map<String, Object> body) {
        if (body == null) {
            throw OpenAiApiException.invalid(null, "We could not parse the JSON body of your request. The body must be a JSON object.");
        }
        String model = pricedModel(body.get("model"),
                price -> price.inputPer1k() != null && price.outputPer1k() == null,
                "an embedding model (embedding models have an input token price and no output price)");
        Object input = body.get("input");
        List<?> inputs = input instanceof List<?> list ? list : input == null ? List.of() : List.of(input);
        if (inputs.isEmpty() || inputs.size() > 2048) {
            throw OpenAiApiException.invalid("input", "'input' must be a string or an array of 1 to 2048 strings.");
        }
        long tokens = 0;
        for (Object item : inputs) {
            if (item instanceof String text && !text.isEmpty()) {
                tokens += SandboxProvider.countTokens(text);
            } else if (item instanceof List<?> tokenIds && !tokenIds.isEmpty()) {
                tokens += tokenIds.size();
            } else {
                throw OpenAiApiException.invalid("input", "'input' items must be non-empty strings or arrays of token ids.");
            }
        }
        long estimate = tokens;
        Ask ask = new Ask(caller.userId(), "req-" + UUID.randomUUID(), properties.embeddingOperation(), model, estimate,
                ChatCompletions.metadata("/v1/embeddings", apiKeyId));
        return ChatCompletions.detached(metered.run(ask, decision -> provider.embeddings(body)
                        .map(answer -> new Usage<>(answer,
                                ChatCompletions.usageField(answer.get("usage"), "prompt_tokens").orElse(estimate), 0, 0, 0))))
                .map(MeteredCall.Completed::result);
    }

    /** One image per request, answered as {@code b64_json} (the gateway keeps no public image URLs). */
    Mono<Map<String, Object>> image(Caller caller, String apiKeyId, Map<String, Object> body) {
        if (body == null) {
            throw OpenAiApiException.invalid(null, "We could not parse the JSON body of your request. The body must be a JSON object.");
        }
        String model = pricedModel(body.get("model") == null ? images.model() : body.get("model"),
                price -> price.perImage() != null, "an image model (it has no per-image price)");
        if (!(body.get("prompt") instanceof String prompt) || prompt.isBlank()) {
            throw OpenAiApiException.invalid("prompt", "'prompt' must be a non-empty string.");
        }
        if (ChatCompletions.integer(body, "n", 1, 1, 1) != 1) {
            throw OpenAiApiException.invalid("n", "'n' must be 1 on this gateway.");
        }
        Object format = body.getOrDefault("response_format", "b64_json");
        if (!"b64_json".equals(format)) {
            throw OpenAiApiException.invalid("response_format", "'response_format' must be b64_json on this gateway, not " + format + ".");
        }
        String size = body.get("size") == null ? "1024x1024" : String.valueOf(body.get("size"));
        Matcher sides = SIZE.matcher(size);
        if (!sides.matches()) {
            throw OpenAiApiException.invalid("size", "'size' must be WIDTHxHEIGHT, e.g. 1024x1024, not " + size + ".");
        }
        int width = Integer.parseInt(sides.group(1));
        int height = Integer.parseInt(sides.group(2));
        if (Math.min(width, height) < images.minSide() || Math.max(width, height) > images.maxSide()) {
            throw OpenAiApiException.invalid("size", "'size' sides must be between " + images.minSide() + " and "
                    + images.maxSide() + " pixels, not " + size + ".");
        }
        Map<String, String> metadata = ChatCompletions.metadata("/v1/images/generations", apiKeyId);
        metadata.put("width", Integer.toString(width));
        metadata.put("height", Integer.toString(height));
        Ask ask = new Ask(caller.userId(), "req-" + UUID.randomUUID(), properties.imageOperation(), model, null, metadata);
        return ChatCompletions.detached(metered.run(ask, decision -> provider.image(model, prompt.strip(), width, height)
                        .map(image -> new Usage<>(image, 0, 0, 0, 1))))
                .map(done -> {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("b64_json", Base64.getEncoder().encodeToString(done.result().bytes()));
                    data.put("revised_prompt", done.result().revisedPrompt());
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("created", System.currentTimeMillis() / 1000);
                    answer.put("data", List.of(data));
                    return answer;
                });
    }

    /** {@code response_format} json (default), text or verbose_json (with {@code duration}). */
    Mono<Object> transcribe(Caller caller, String apiKeyId, String model, byte[] audio, String filename, String responseFormat) {
        String checked = pricedModel(model, price -> price.perMinute() != null, "a transcription model (it has no per-minute price)");
        if (audio == null || audio.length == 0) {
            throw OpenAiApiException.invalid("file", "'file' must be a non-empty audio upload.");
        }
        if (audio.length > MAX_AUDIO_BYTES) {
            throw OpenAiApiException.invalid("file", "'file' is larger than 25 MB.");
        }
        String format = responseFormat == null ? "json" : responseFormat;
        if (!List.of("json", "text", "verbose_json").contains(format)) {
            throw OpenAiApiException.invalid("response_format", "'response_format' must be json, text or verbose_json, not " + format + ".");
        }
        Map<String, String> metadata = ChatCompletions.metadata("/v1/audio/transcriptions", apiKeyId);
        metadata.put("audio_bytes", Integer.toString(audio.length));
        Ask ask = new Ask(caller.userId(), "req-" + UUID.randomUUID(), properties.transcriptionOperation(), checked, null, metadata);
        return ChatCompletions.detached(metered.run(ask, decision -> provider.transcribe(checked, audio, filename)
                        .map(transcription -> new Usage<>(transcription, 0, 0, transcription.audioSeconds(), 0))))
                .map(done -> switch (format) {
                    case "text" -> done.result().text();
                    case "verbose_json" -> Map.of("task", "transcribe", "duration", done.result().audioSeconds(),
                            "text", done.result().text());
                    default -> Map.of("text", done.result().text());
                });
    }

    private String pricedModel(Object value, Predicate<ModelPrice> fits, String what) {
        String model = ChatCompletions.model(value);
        ModelPrice price = prices.price(model).orElseThrow(() -> OpenAiApiException.modelNotFound(model));
        if (!fits.test(price)) {
            throw OpenAiApiException.invalid("model", "The model `" + model + "` is not " + what + ".");
        }
        return model;
    }
}
