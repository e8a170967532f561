package io.aicredits.gateway.generation;

import io.aicredits.gateway.generation.MeteredCall.Answer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * This instance's fast path for a repeated {@code Idempotency-Key}, answering as the stream would
 * (docs/architecture.md, "Idempotency"): while the first request with the key runs here, a 409
 * saying it is still being processed; after it succeeded, its body again, marked replayed. Only
 * successes whose body the stream keeps too (up to {@link MeteredCall#MAX_REPLAY_BYTES}) are
 * remembered; a failure never is, so a retry after one runs again. Bounded: the oldest keys are
 * forgotten first, and a key this instance does not remember is answered by the stream.
 */
@Component
class IdempotentResponses {

    private static final int MAX_KEYS = 10_000;
    private static final Duration KEEP = Duration.ofHours(1);

    /** A key's request: running here ({@code body} null), or the body it answered and when. */
    private record Entry(byte[] body, long atNanos) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_KEYS;
        }
    };

    Mono<Answer> once(String requestId, Supplier<Mono<Answer>> work) {
        return Mono.defer(() -> {
            synchronized (entries) {
                Entry known = entries.get(requestId);
                if (known != null && known.body() == null) {
                    return Mono.error(MeteredCall.inFlight(requestId));
                }
                if (known != null && System.nanoTime() - known.atNanos() < KEEP.toNanos()) {
                    return Mono.just(new Answer(known.body(), true));
                }
                entries.put(requestId, new Entry(null, System.nanoTime()));
            }
            return Mono.defer(work)
                    .doOnNext(answer -> answered(requestId, answer))
                    // Failed, cancelled, or a body too large to keep: forgotten, the stream answers a repeat.
                    .doFinally(signal -> forgetRunning(requestId));
        });
    }

    private void answered(String requestId, Answer answer) {
        if (answer.body().length <= MeteredCall.MAX_REPLAY_BYTES) {
            synchronized (entries) {
                entries.put(requestId, new Entry(answer.body(), System.nanoTime()));
            }
        }
    }

    private void forgetRunning(String requestId) {
        synchronized (entries) {
            Entry known = entries.get(requestId);
            if (known != null && known.body() == null) {
                entries.remove(requestId);
            }
        }
    }
}
