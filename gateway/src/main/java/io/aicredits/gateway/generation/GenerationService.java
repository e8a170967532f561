package io.aicredits.gateway.generation;

import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.generation.GenerationDtos.ImageRequest;
import io.aicredits.gateway.generation.GenerationDtos.ImageResponse;
import io.aicredits.gateway.generation.MeteredCall.Answer;
import io.aicredits.gateway.generation.GenerationDtos.OperationResponse;
import io.aicredits.gateway.generation.GenerationDtos.OperationUsage;
import io.aicredits.gateway.generation.GenerationDtos.TextRequest;
import io.aicredits.gateway.generation.GenerationDtos.TextResponse;
import io.aicredits.gateway.generation.MeteredCall.Ask;
import io.aicredits.gateway.generation.MeteredCall.Usage;
import io.aicredits.gateway.media.MediaStore;
import io.aicredits.gateway.pricing.ModelPrices;
import io.aicredits.gateway.provider.AiProvider;
import io.aicredits.gateway.provider.SandboxProvider;
import io.aicredits.gateway.security.Caller;
import io.aicredits.gateway.web.ApiException;
import io.aicredits.gateway.web.IdempotencyKeys;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Text, image and model-backed operations: validates input, then runs the provider call through
 * {@link MeteredCall}, answering the response body as JSON. An {@code Idempotency-Key} becomes the
 * request id ({@link IdempotencyKeys}); a repeat is answered by the rules in docs/architecture.md
 * ("Idempotency").
 */
@Service
class GenerationService {

    private static final Logger log = LoggerFactory.getLogger(GenerationService.class);

    /** Tones and lengths the text endpoint accepts; length → max output tokens per variant. */
    static final java.util.Set<String> TONES = java.util.Set.of(
            "friendly", "professional", "casual", "formal", "humorous", "inspirational", "persuasive");
    static final Map<String, Integer> LENGTHS = Map.of("short", 120, "medium", 300, "long", 800);

    /** System prompts of the chat operations. */
    static final Map<String, String> OPERATION_PROMPTS = Map.of(
            "ai_card", "Write a short motivational card about what the user achieved today.",
            "ai_summary", "Summarise the user's notes into a weekly or monthly achievement report.",
            "emotion_analysis", "Describe the emotions and overall mood expressed in the user's notes.",
            "ai_coach", "You are UNITY Coach, a supportive assistant. Answer the user's question helpfully.");
    static final String VOICE_TO_TEXT = "voice_to_text";
    private static final int OPERATION_MAX_TOKENS = 600;
    /** Whisper's upload limit. */
    static final int MAX_AUDIO_BYTES = 25 * 1024 * 1024;

    private final MeteredCall metered;
    private final AiProvider provider;
    private final MediaStore media;
    private final IdempotentResponses idempotent;
    private final GatewayProperties properties;

    private final io.aicredits.gateway.settings.RuntimeSettings runtimeSettings;

    GenerationService(MeteredCall metered, AiProvider provider, MediaStore media, IdempotentResponses idempotent,
                      GatewayProperties properties, io.aicredits.gateway.settings.RuntimeSettings runtimeSettings) {
        this.runtimeSettings = runtimeSettings;
        this.metered = metered;
        this.provider = provider;
        this.media = media;
        this.idempotent = idempotent;
        this.properties = properties;
    }

    Mono<Answer> text(Caller caller, TextRequest request, String idempotencyKey) {
        if (request == null) {
            throw ApiException.badRequest("Request body is required: {\"prompt\", \"tone\", \"length\"}");
        }
        String prompt = prompt(request.prompt());
        String tone = request.tone() == null ? "friendly" : request.tone();
        if (!TONES.contains(tone)) {
            throw ApiException.badRequest("Unknown tone '" + tone + "'; expected one of " + new java.util.TreeSet<>(TONES));
        }
        String length = request.length() == null ? "medium" : request.length();
        Integer maxTokens = LENGTHS.get(length);
        if (maxTokens == null) {
            throw ApiException.badRequest("Unknown length '" + length + "'; expected one of [long, medium, short]");
        }
        String model = runtimeSettings.model("text_generation", properties.text().model());
        String system = "Write three alternative texts for the user's request. Tone: " + tone + ". Length: " + length
                + ". Answer with the text only.";
        String requestId = requestId(caller, idempotencyKey);
        Ask ask = new Ask(caller.userId(), requestId, "text_generation", model,
                SandboxProvider.countTokens(system + prompt) + 3L * maxTokens, Map.of("tone", tone, "length", length));
        return once(requestId, idempotencyKey, () -> metered.answer(ask, idempotencyKey != null,
                decision -> provider.chat(model, system, prompt, 3, maxTokens)
                        .map(chat -> new Usage<>(chat.choices(), chat.promptTokens(), chat.completionTokens(), 0, 0)),
                done -> {
                    String generationId = "gen-" + UUID.randomUUID();
                    log.info("✅ Text generation completed: {}, Credits remaining: {}", generationId, done.creditsRemaining());
                    return new TextResponse(done.result(), generationId, done.creditsRemaining());
                }));
    }

    Mono<Answer> image(Caller caller, ImageRequest request, String idempotencyKey) {
        if (request == null) {
            throw ApiException.badRequest("Request body is required: {\"prompt\", \"width\", \"height\"}");
        }
        String prompt = prompt(request.prompt());
        GatewayProperties.Image settings = properties.image();
        int width = side("width", request.width(), settings);
        int height = side("height", request.height(), settings);
        String model = runtimeSettings.model("image_generation", settings.model());
        String requestId = requestId(caller, idempotencyKey);
        String generationId = "gen-" + UUID.randomUUID();
        Ask ask = new Ask(caller.userId(), requestId, "image_generation", model, null,
                Map.of("width", Integer.toString(width), "height", Integer.toString(height), "generation_id", generationId));
        return once(requestId, idempotencyKey, () -> metered.answer(ask, idempotencyKey != null,
                decision -> provider.image(model, prompt, width, height)
                        .publishOn(Schedulers.boundedElastic())
                        .map(image -> media.save(caller.userId(), generationId, prompt, width, height,
                                image.contentType(), image.bytes()))
                        .map(saved -> new Usage<>(saved, 0, 0, 0, 1)),
                done -> {
                    String imageId = done.result().id();
                    log.info("✅ Image generation completed: {}, media: {}, Credits remaining: {}", generationId, imageId,
                            done.creditsRemaining());
                    return new ImageResponse("completed", generationId, imageId, "/api/media/" + imageId,
                            done.creditsRemaining());
                }));
    }

    Mono<Answer> chatOperation(Caller caller, String operation, String content, String idempotencyKey) {
        String model = model(operation);
        String system = OPERATION_PROMPTS.get(operation);
        if (system == null) {
            throw ApiException.badRequest("Operation " + operation + " takes an audio upload (multipart field 'file')");
        }
        String prompt = prompt(content);
        String requestId = requestId(caller, idempotencyKey);
        Ask ask = new Ask(caller.userId(), requestId, operation, model,
                SandboxProvider.countTokens(system + prompt) + OPERATION_MAX_TOKENS, Map.of());
        return once(requestId, idempotencyKey, () -> metered.answer(ask, idempotencyKey != null,
                decision -> provider.chat(model, system, prompt, 1, OPERATION_MAX_TOKENS)
                        .map(chat -> new Usage<>(chat.choices().get(0), chat.promptTokens(), chat.completionTokens(), 0, 0)),
                done -> operationResponse(operation, model, done)));
    }

    Mono<Answer> transcribe(Caller caller, String operation, byte[] audio, String filename, String idempotencyKey) {
        if (!VOICE_TO_TEXT.equals(operation)) {
            throw notAnUpload(operation);
        }
        String model = model(operation);
        if (audio.length == 0) {
            throw ApiException.badRequest("Audio file is empty");
        }
        if (audio.length > MAX_AUDIO_BYTES) {
            throw audioTooLarge();
        }
        String requestId = requestId(caller, idempotencyKey);
        Ask ask = new Ask(caller.userId(), requestId, operation, model, null,
                Map.of("audio_bytes", Integer.toString(audio.length)));
        return once(requestId, idempotencyKey, () -> metered.answer(ask, idempotencyKey != null,
                decision -> provider.transcribe(model, audio, filename)
                        .map(transcription -> new Usage<>(transcription.text(), 0, 0, transcription.audioSeconds(), 0)),
                done -> operationResponse(operation, model, done)));
    }

    private static OperationResponse operationResponse(String operation, String model, MeteredCall.Completed<String> done) {
        String generationId = "gen-" + UUID.randomUUID();
        log.info("✅ {} completed: {}, Credits remaining: {}", operation, generationId, done.creditsRemaining());
        return new OperationResponse(operation, model, done.result(), generationId, done.creditsRemaining(),
                new OperationUsage(done.usage().tokensInput(), done.usage().tokensOutput(), done.usage().audioSeconds(),
                        ModelPrices.toUsd(done.costNanos())));
    }

    private String model(String operation) {
        String configured = properties.operations().get(operation);
        String model = configured == null ? null : runtimeSettings.model(operation, configured);
        if (model == null) {
            throw ApiException.badRequest("Unknown operation '" + operation + "'; expected one of "
                    + new java.util.TreeSet<>(properties.operations().keySet()));
        }
        return model;
    }

    static ApiException notAnUpload(String operation) {
        return ApiException.badRequest("Only voice_to_text takes an audio upload; send {\"content\": …} as JSON for " + operation);
    }

    static ApiException audioTooLarge() {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Audio file is larger than 25 MB");
    }

    private String prompt(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw ApiException.badRequest("prompt must not be empty");
        }
        int max = properties.text().maxPromptChars();
        if (prompt.length() > max) {
            throw ApiException.badRequest("prompt is longer than " + max + " characters");
        }
        return prompt.strip();
    }

    private static int side(String name, Integer value, GatewayProperties.Image settings) {
        if (value == null) {
            throw ApiException.badRequest(name + " is required");
        }
        if (value < settings.minSide() || value > settings.maxSide()) {
            throw ApiException.badRequest(name + " must be between " + settings.minSide() + " and " + settings.maxSide()
                    + " pixels, not " + value);
        }
        return value;
    }

    private static String requestId(Caller caller, String idempotencyKey) {
        if (idempotencyKey == null) {
            return "req-" + UUID.randomUUID();
        }
        return IdempotencyKeys.requestId(caller.userId(), IdempotencyKeys.requireValid(idempotencyKey));
    }

    private Mono<Answer> once(String requestId, String idempotencyKey, Supplier<Mono<Answer>> work) {
        return idempotencyKey == null ? Mono.defer(work) : idempotent.once(requestId, work);
    }
}
