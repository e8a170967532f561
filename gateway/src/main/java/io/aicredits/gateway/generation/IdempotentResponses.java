package io.aicredits.gateway.generation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Answers a repeated {@code Idempotency-Key} on this instance with the first request's response
 * (also while the first is still running) instead of calling the provider again. Failures are not
 * kept, so a retry after a failure runs again. Bounded: the oldest keys are forgotten first; a key
 * this instance forgot gets the stream's duplicate decision and a 409 instead (never a second charge).
 */
@Component
class IdempotentResponses {

    private static final int MAX_KEYS = 10_000;
    private static final Duration KEEP = Duration.ofHours(1);

    private final Map<String, Mono<?>> responses = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Mono<?>> eldest) {
            return size() > MAX_KEYS;
        }
    };

    @SuppressWarnings("unchecked")
    <T> Mono<T> once(String requestId, Supplier<Mono<T>> work) {
        Mono<T> shared;
        synchronized (responses) {
            Mono<?> existing = responses.get(requestId);
            if (existing != null) {
                return (Mono<T>) existing;
            }
            Mono<T> cached = Mono.defer(work)
                    .doOnError(error -> forget(requestId))
                    .cache(value -> KEEP, error -> Duration.ZERO, () -> Duration.ZERO);
            responses.put(requestId, cached);
            shared = cached;
        }
        return shared;
    }

    private void forget(String requestId) {
        synchronized (responses) {
            responses.remove(requestId);
        }
    }
}
