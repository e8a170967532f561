package io.aicredits.gateway.generation;

import io.aicredits.gateway.generation.GenerationDtos.ImageRequest;
import io.aicredits.gateway.generation.MeteredCall.Answer;
import io.aicredits.gateway.generation.GenerationDtos.OperationRequest;
import io.aicredits.gateway.generation.GenerationDtos.TextRequest;
import io.aicredits.gateway.security.Caller;
import io.aicredits.gateway.web.ApiException;
import io.aicredits.gateway.web.IdempotencyKeys;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The text and image generation endpoints and the operations endpoint. Each accepts an optional
 * {@code Idempotency-Key} header: repeating it never charges twice, and a repeat of a success gets
 * the same body back with {@code Idempotent-Replayed: true} (rules: docs/architecture.md, "Idempotency").
 */
@RestController
class GenerationController {

    private static final String IDEMPOTENCY_KEY = IdempotencyKeys.HEADER;
    /** Marks an answer that is the stored response of an earlier request with the same key. */
    static final String REPLAYED = "Idempotent-Replayed";

    private final GenerationService generation;

    GenerationController(GenerationService generation) {
        this.generation = generation;
    }

    @PostMapping(path = "/api/ai/generate-text", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> text(@AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) TextRequest request,
                            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
        return Mono.defer(() -> generation.text(Caller.of(jwt), request, key)).map(GenerationController::json);
    }

    @PostMapping(path = "/api/ai/generate-image", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> image(@AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) ImageRequest request,
                              @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
        return Mono.defer(() -> generation.image(Caller.of(jwt), request, key)).map(GenerationController::json);
    }

    /** The chat operations ({@code ai_card}, {@code ai_summary}, {@code emotion_analysis}, {@code ai_coach}). */
    @PostMapping(path = "/api/ai/operations/{operation}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> operation(@AuthenticationPrincipal Jwt jwt, @PathVariable String operation,
                                      @RequestBody(required = false) OperationRequest request,
                                      @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
        return Mono.defer(() -> generation.chatOperation(Caller.of(jwt), operation,
                request == null ? null : request.content(), key)).map(GenerationController::json);
    }

    /**
     * {@code voice_to_text}: multipart upload, field {@code file}. Another operation is
     * refused before the upload is read; the audio is read up to {@link GenerationService#MAX_AUDIO_BYTES}
     * and a larger one answered 413, before any credit is asked for.
     */
    @PostMapping(path = "/api/ai/operations/{operation}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<byte[]>> audio(@AuthenticationPrincipal Jwt jwt, @PathVariable String operation,
                                  @RequestPart(name = "file", required = false) Mono<FilePart> file,
                                  @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
        if (!GenerationService.VOICE_TO_TEXT.equals(operation)) {
            return Mono.error(GenerationService.notAnUpload(operation));
        }
        return file.switchIfEmpty(Mono.error(() -> ApiException.badRequest("Multipart field 'file' with the audio is required")))
                .flatMap(part -> DataBufferUtils.join(part.content(), GenerationService.MAX_AUDIO_BYTES)
                        .onErrorMap(DataBufferLimitException.class, e -> GenerationService.audioTooLarge())
                        .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return new Upload(part.filename(), bytes);
                }))
                .flatMap(upload -> generation.transcribe(Caller.of(jwt), operation, upload.bytes(), upload.filename(), key))
                .map(GenerationController::json);
    }

    /** The answer's JSON body as it is, so a replay is byte for byte the first answer. */
    static ResponseEntity<byte[]> json(Answer answer) {
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON);
        if (answer.replayed()) {
            ok.header(REPLAYED, "true");
        }
        return ok.body(answer.body());
    }

    private record Upload(String filename, byte[] bytes) {
    }
}
