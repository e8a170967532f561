package io.aicredits.gateway.media;

import io.aicredits.gateway.security.Caller;
import io.aicredits.gateway.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code GET /api/media/{id}}: the image bytes, to their owner only (anyone else gets 404). */
@RestController
class MediaController {

    private final MediaStore store;

    MediaController(MediaStore store) {
        this.store = store;
    }

    @GetMapping("/api/media/{id}")
    Mono<ResponseEntity<byte[]>> media(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        Caller caller = Caller.of(jwt);
        return Mono.fromCallable(() -> store.find(id)
                        .filter(media -> media.ownerId().equals(caller.userId()))
                        .map(media -> ResponseEntity.ok()
                                .contentType(MediaType.parseMediaType(media.contentType()))
                                .body(store.read(media)))
                        .orElseThrow(() -> ApiException.notFound("Media " + id + " not found")))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
