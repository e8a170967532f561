package io.aicredits.gateway.openai;

import io.aicredits.gateway.apikeys.ApiKeyJwtDecoder;
import io.aicredits.gateway.pricing.ModelPrices;
import io.aicredits.gateway.security.Caller;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's REST API on {@code /v1}, so an OpenAI SDK can use the gateway as its base URL. Answers
 * carry {@code x-credits-remaining}: the caller's balance once this call's credits are held.
 */
@RestController
class OpenAiController {

    static final String CREDITS_REMAINING = "x-credits-remaining";

    private final ChatCompletions chat;
    private final OtherEndpoints other;
    private final ModelPrices prices;
    private final JsonMapper json;

    OpenAiController(ChatCompletions chat, OtherEndpoints other, ModelPrices prices, JsonMapper json) {
        this.chat = chat;
        this.other = other;
        this.prices = prices;
        this.json = json;
    }

    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<?>> chatCompletions(@AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) Map<String, Object> body) {
        return Mono.defer(() -> {
            Caller caller = Caller.of(jwt);
            String apiKeyId = ApiKeyJwtDecoder.keyId(jwt);
            ChatCompletions.Checked request = chat.check(body);
            if (!request.stream()) {
                return chat.complete(caller, apiKeyId, request).map(answer -> ResponseEntity.ok()
                        .header(CREDITS_REMAINING, Long.toString(answer.creditsRemaining()))
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(answer.body()));
            }
            return chat.stream(caller, apiKeyId, request).map(stream -> ResponseEntity.ok()
                    .header(CREDITS_REMAINING, Long.toString(stream.creditsRemaining()))
                    .header("Cache-Control", "no-cache")
                    .contentType(MediaType.TEXT_EVENT_STREAM)
                    .body(events(stream.chunks())));
        });
    }

    @PostMapping(path = "/v1/embeddings", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> embeddings(@AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) Map<String, Object> body) {
        return Mono.defer(() -> other.embeddings(Caller.of(jwt), ApiKeyJwtDecoder.keyId(jwt), body));
    }

    @PostMapping(path = "/v1/images/generations", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> images(@AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) Map<String, Object> body) {
        return Mono.defer(() -> other.image(Caller.of(jwt), ApiKeyJwtDecoder.keyId(jwt), body));
    }

    /** Multipart fields {@code file}, {@code model}, optional {@code response_format}; other fields are ignored. */
    @PostMapping(path = "/v1/audio/transcriptions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<Object>> transcriptions(@AuthenticationPrincipal Jwt jwt, ServerWebExchange exchange) {
        return exchange.getMultipartData().flatMap(parts -> {
            Part file = parts.getFirst("file");
            if (!(file instanceof FilePart upload)) {
                return Mono.error(OpenAiApiException.invalid("file",
                        "Multipart field 'file' must be the audio as a file upload (with a filename, which names its format)."));
            }
            String model = field(parts.getFirst("model"));
            String format = field(parts.getFirst("response_format"));
            return DataBufferUtils.join(upload.content()).map(buffer -> {
                byte[] bytes = new byte[buffer.readableByteCount()];
                buffer.read(bytes);
                DataBufferUtils.release(buffer);
                return bytes;
            }).defaultIfEmpty(new byte[0]).flatMap(bytes -> other.transcribe(Caller.of(jwt), ApiKeyJwtDecoder.keyId(jwt), model, bytes,
                    upload.filename(), format));
        }).map(answer -> ResponseEntity.ok()
                .contentType(answer instanceof String ? MediaType.TEXT_PLAIN : MediaType.APPLICATION_JSON)
                .body(answer));
    }

    private static String field(Part part) {
        return part instanceof FormFieldPart field ? field.value() : null;
    }

    /** Each chunk as one event, then {@code data: [DONE]}; a provider failure mid-stream ends with an error event. */
    private Flux<ServerSentEvent<String>> events(Flux<String> chunks) {
        return chunks.map(chunk -> ServerSentEvent.builder(chunk).build())
                .concatWith(Mono.just(ServerSentEvent.builder("[DONE]").build()))
                .onErrorResume(error -> Mono.just(ServerSentEvent.builder(
                        json.writeValueAsString(OpenAiErrors.body(OpenAiErrors.translate(error)))).build()));
    }

    @GetMapping("/v1/models")
    Map<String, Object> models() {
        List<Map<String, Object>> data = prices.models().stream().map(OpenAiController::modelObject).toList();
        return Map.of("object", "list", "data", data);
    }

    @GetMapping("/v1/models/{model}")
    Map<String, Object> model(@PathVariable String model) {
        if (!prices.knows(model)) {
            throw OpenAiApiException.modelNotFound(model);
        }
        return modelObject(model);
    }

    private static Map<String, Object> modelObject(String id) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", 0);
        model.put("owned_by", "aicredits");
        return model;
    }
}
