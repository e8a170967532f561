package io.aicredits.gateway.generation;

import io.aicredits.gateway.generation.GenerationDtos.ImageRequest;
import io.aicredits.gateway.generation.GenerationDtos.ImageResponse;
import io.aicredits.gateway.generation.GenerationDtos.OperationRequest;
import io.aicredits.gateway.generation.GenerationDtos.OperationResponse;
import io.aicredits.gateway.generation.GenerationDtos.TextRequest;
import io.aicredits.gateway.generation.GenerationDtos.TextResponse;
import io.aicredits.gateway.security.Caller;
import io.aicredits.gateway.web.ApiException;
import io.aicredits.gateway.web.IdempotencyKeys;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
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
 * {@code Idempotency-Key} header: repeating it never charges twice.
 */
@RestController
class GenerationController {

    private static final String IDEMPOTENCY_KEY = IdempotencyKeys.HEADER;

    private final GenerationService generation;

    GenerationController(GenerationService generation) {
        this.generation = generation;
    }

    @PostMapping(path = "/api/ai/generate-text", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<TextResponse> text(@AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) TextRequest request,
                            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
        return Mono.defer(() -> generation.text(Caller.of(jwt), request, key));
    }

    @PostMapping(path = "/api/ai/generate-image", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ImageResponse> image(@AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) ImageRequest request,
                              @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
        return Mono.defer(() -> generation.image(Caller.of(jwt), request, key));
    }

    /** The chat operations ({@code ai_card}, {@code ai_summary}, {@code emotion_analysis}, {@code ai_coach}). */
    @PostMapping(path = "/api/ai/operations/{operation}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<OperationResponse> operation(@AuthenticationPrincipal Jwt jwt, @PathVariable String operation,
                                      @RequestBody(required = false) OperationRequest request,
                                      @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key) {
        return Mono.defer(() -> generation.chatOperation(Caller.of(jwt), operation,
                request == null ? null : request.content(), key));
    }

    /**
     * {@code voice_to_text}: multipart upload, field {@code file}. Another operation is
     * refused before the upload is read; the audio is read up to {@link GenerationService#MAX_AUDIO_BYTES}
     * and a larger one answered 413, before any credit is asked for.
     */
    @PostMapping(path = "/api/ai/operations/{operation}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<OperationResponse> audio(@AuthenticationPrincipal Jwt jwt, @PathVariable String operation,
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
                .flatMap(upload -> generation.transcribe(Caller.of(jwt), operation, upload.bytes(), upload.filename(), key));
    }

    private record Upload(String filename, byte[] bytes) {
    }
}
