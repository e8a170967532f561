package io.aicredits.gateway.generation;

import io.aicredits.client.DecisionTimeoutException;
import io.aicredits.client.CreditDecisions;
import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.gateway.credits.Timestamps;
import io.aicredits.gateway.pricing.ModelPrices;
import io.aicredits.gateway.provider.AiProvider;
import io.aicredits.gateway.provider.ProviderException;
import io.aicredits.gateway.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The flow around every AI call: ask the stream for a decision, call the provider only when
 * approved, then report the real usage and USD cost (or a FAILED usage, which releases the hold,
 * and answer 502). A duplicate decision (a repeated {@code Idempotency-Key}) never calls the
 * provider: it is answered by the rules in docs/architecture.md ("Idempotency"). The usage names
 * the decision's attempt, so it settles only that attempt's hold; an EXPIRED decision is answered
 * like a timeout (503, nothing charged). Non-blocking throughout: no thread waits for the decision
 * or the provider.
 */
@Component
public class MeteredCall {

    private static final Logger log = LoggerFactory.getLogger(MeteredCall.class);

    private final CreditDecisions metering;
    private final ModelPrices prices;
    private final AiProvider provider;
    private final MeterRegistry metrics;
    private final JsonMapper json;

    MeteredCall(CreditDecisions metering, ModelPrices prices, AiProvider provider, MeterRegistry metrics, JsonMapper json) {
        this.metering = metering;
        this.json = json;
        this.prices = prices;
        this.provider = provider;
        this.metrics = metrics;
    }

    /** What a provider call used; {@code tokensCachedInput} of the {@code tokensInput} came from the provider's prompt cache. */
    public record Usage<R>(R result, long tokensInput, long tokensOutput, long audioSeconds, int images, long tokensCachedInput) {

        /** Without cached input tokens. */
        public Usage(R result, long tokensInput, long tokensOutput, long audioSeconds, int images) {
            this(result, tokensInput, tokensOutput, audioSeconds, images, 0);
        }
    }

    /** A completed, charged call. */
    public record Completed<R>(CreditDecision decision, R result, Usage<R> usage, long costNanos) {
        public long creditsRemaining() {
            return decision.getBalance();
        }
    }

    /** Marks a failure of the provider call itself (not of reporting), so only it releases the hold. */
    private static final class CallFailed extends RuntimeException {
        CallFailed(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** Everything needed to ask for credits. */
    public record Ask(String userId, String requestId, String operation, String model, Long estimatedTokens,
               Map<String, String> metadata) {
    }

    /** A response body to answer with JSON; {@code replayed} when it is the stored answer of an earlier request with the same key. */
    public record Answer(byte[] body, boolean replayed) {
    }

    /**
     * Largest response body kept with the usage to replay to a repeated {@code Idempotency-Key}
     * (and in {@link IdempotentResponses}); a larger body is not kept, and a repeat is told it was
     * already processed and charged once.
     */
    public static final int MAX_REPLAY_BYTES = 64 * 1024;

    /** Runs a call whose request id the gateway chose at random: a duplicate decision is a 409, never a replay. */
    public <R> Mono<Completed<R>> run(Ask ask, Function<CreditDecision, Mono<Usage<R>>> call) {
        return run(ask, call, done -> done, done -> null, decision -> Mono.error(duplicate(ask.requestId(), decision)));
    }

    /**
     * Runs a call and answers the JSON of {@code body}. With {@code callerKey} (the request id comes
     * from the caller's {@code Idempotency-Key}) the usage of a success carries that exact body, up
     * to {@link #MAX_REPLAY_BYTES}, and a duplicate decision is answered by the rules in
     * docs/architecture.md ("Idempotency"): the stored body again, or a 409 that says why.
     */
    public <R> Mono<Answer> answer(Ask ask, boolean callerKey, Function<CreditDecision, Mono<Usage<R>>> call,
                                   Function<Completed<R>, ?> body) {
        return run(ask, call,
                done -> new Answer(json.writeValueAsBytes(body.apply(done)), false),
                answer -> callerKey && answer.body().length <= MAX_REPLAY_BYTES ? answer.body() : null,
                decision -> replay(ask.requestId(), decision));
    }

    /**
     * @param finish   what a success answers
     * @param kept     the response to keep with the usage for a repeated key, or null
     * @param duplicate the answer to a duplicate decision
     */
    private <R, T> Mono<T> run(Ask ask, Function<CreditDecision, Mono<Usage<R>>> call, Function<Completed<R>, T> finish,
                               Function<T, byte[]> kept, Function<CreditDecision, Mono<T>> duplicate) {
        AiRequest request = AiRequest.newBuilder()
                .setRequestId(ask.requestId())
                .setUserId(ask.userId())
                .setOperationType(ask.operation())
                .setModel(ask.model())
                .setEstimatedTokens(ask.estimatedTokens())
                .setEstimatedCostUsdNanos(prices.estimatedCostNanos(ask.model(), ask.estimatedTokens()))
                .setRequestedAt(Instant.now())
                .setMetadata(new HashMap<>(ask.metadata()))
                .build();
        return Mono.fromFuture(() -> metering.decide(request))
                // Leave the client's reply thread at once: it must keep reading decisions.
                .publishOn(Schedulers.parallel())
                .flatMap(decision -> {
                    if (!decision.getApproved()) {
                        outcome(ask, decision.getReason() == DecisionReason.EXPIRED ? "expired" : "rejected");
                        return Mono.error(refusal(decision));
                    }
                    if (decision.getDuplicate()) {
                        outcome(ask, "duplicate");
                        return duplicate.apply(decision);
                    }
                    log.info("💰 Held {} credits from user {} ({}). New balance: {}", decision.getCreditsHeld(),
                            ask.userId(), ask.operation(), decision.getBalance());
                    long started = System.nanoTime();
                    return call.apply(decision)
                            .switchIfEmpty(Mono.error(() -> new IllegalStateException("provider returned no result")))
                            .onErrorMap(CallFailed::new)
                            .flatMap(usage -> succeeded(ask, decision, usage, started, finish, kept))
                            .onErrorResume(CallFailed.class, failure -> failed(ask, decision, failure.getCause(), started));
                });
    }

    /** A duplicate decision for a caller's key: the settled attempt's stored body again, else a 409 that says why. */
    static Mono<Answer> replay(String requestId, CreditDecision decision) {
        ByteBuffer stored = decision.getReplayResponse();
        if (decision.getCreditsCharged() == null || stored == null) {
            return Mono.error(duplicate(requestId, decision));
        }
        byte[] body = new byte[stored.remaining()];
        stored.duplicate().get(body);
        return Mono.just(new Answer(body, true));
    }

    /** 409 for a duplicate decision: still in flight (nothing charged yet), or settled and charged once. */
    static ApiException duplicate(String requestId, CreditDecision decision) {
        if (decision.getCreditsCharged() == null) {
            return inFlight(requestId);
        }
        return new ApiException(HttpStatus.CONFLICT,
                "A request with this Idempotency-Key was already processed; it was charged once, "
                        + decision.getCreditsCharged() + " credits. Its response is not kept to answer again.",
                null, Map.of("error", "DUPLICATE_REQUEST", "request_id", requestId,
                        "credits_charged", decision.getCreditsCharged()));
    }

    /** 409: the first request with this key has not finished; this one charged nothing. */
    static ApiException inFlight(String requestId) {
        return new ApiException(HttpStatus.CONFLICT,
                "The first request with this Idempotency-Key is still being processed; retry later. "
                        + "Nothing was charged for this request.",
                null, Map.of("error", "REQUEST_IN_PROGRESS", "request_id", requestId));
    }

    private <R, T> Mono<T> succeeded(Ask ask, CreditDecision decision, Usage<R> usage, long started,
                                     Function<Completed<R>, T> finish, Function<T, byte[]> kept) {
        long latencyMs = (System.nanoTime() - started) / 1_000_000;
        if (!prices.knows(ask.model())) {
            log.warn("No USD price for model {}: usage of {} recorded at cost 0", ask.model(), ask.requestId());
        }
        long cost = prices.costNanos(ask.model(), usage.tokensInput(), usage.tokensCachedInput(), usage.tokensOutput(),
                usage.audioSeconds(), usage.images());
        T result = finish.apply(new Completed<>(decision, usage.result(), usage, cost));
        byte[] response = kept.apply(result);
        UsageEvent event = usageEvent(ask, decision, UsageStatus.SUCCEEDED, latencyMs)
                .setTokensInput(usage.tokensInput())
                .setTokensOutput(usage.tokensOutput())
                .setTokensCachedInput(usage.tokensCachedInput())
                .setAudioSeconds(usage.audioSeconds())
                .setImages(usage.images())
                .setCostUsdNanos(cost)
                .setCreditsCharged(decision.getCreditsHeld())
                .setResponse(response == null ? null : ByteBuffer.wrap(response))
                .build();
        outcome(ask, "completed");
        Counter.builder("ai.cost.usd.nanos").tag("model", ask.model()).register(metrics).increment(cost);
        return Mono.fromFuture(() -> metering.reportUsage(event))
                .onErrorResume(error -> {
                    // The user already has the result: answer it; the unreported hold expires in the stream.
                    log.error("Usage {} of user {} could not be reported: {}", event.getId(), ask.userId(), error.getMessage(), error);
                    metrics.counter("ai.usage.report.failures").increment();
                    return Mono.empty();
                })
                .publishOn(Schedulers.parallel())
                .thenReturn(result);
    }

    private <T> Mono<T> failed(Ask ask, CreditDecision decision, Throwable error, long started) {
        long latencyMs = (System.nanoTime() - started) / 1_000_000;
        log.warn("AI provider {} failed for request {} of user {}: {}", provider.name(), ask.requestId(), ask.userId(),
                error.getMessage(), error.getCause() == null ? error : error.getCause());
        outcome(ask, "provider_failed");
        UsageEvent event = usageEvent(ask, decision, UsageStatus.FAILED, latencyMs)
                .setError(String.valueOf(error.getMessage()))
                .build();
        ApiException answer = new ApiException(HttpStatus.BAD_GATEWAY,
                "AI provider failed: " + ProviderException.publicMessage(error) + ". No credits were charged.", error,
                Map.of("error", "PROVIDER_FAILED", "request_id", ask.requestId()));
        return Mono.fromFuture(() -> metering.reportUsage(event))
                .onErrorResume(reportError -> {
                    log.error("Failed usage {} could not be reported; its hold expires in the stream", event.getId(), reportError);
                    return Mono.empty();
                })
                .publishOn(Schedulers.parallel())
                .then(Mono.error(answer));
    }

    private UsageEvent.Builder usageEvent(Ask ask, CreditDecision decision, UsageStatus status, long latencyMs) {
        Map<String, String> metadata = new HashMap<>(ask.metadata());
        metadata.put("provider", provider.name());
        return UsageEvent.newBuilder()
                .setId("usage-" + ask.requestId())
                .setRequestId(ask.requestId())
                .setAttemptId(decision.getAttemptId())
                .setUserId(ask.userId())
                .setModel(ask.model())
                .setOperationType(ask.operation())
                .setPool(decision.getPool())
                .setStatus(status)
                .setLatencyMs(latencyMs)
                .setCreatedAt(Instant.now())
                .setMetadata(metadata);
    }

    private void outcome(Ask ask, String outcome) {
        metrics.counter("ai.generations", "operation", ask.operation(), "outcome", outcome).increment();
    }

    /**
     * What a refused decision answers: EXPIRED (the stream read the request after its deadline,
     * e.g. clocks apart) is a timeout, 503 "nothing was charged"; other reasons are {@link #rejection}s.
     */
    static RuntimeException refusal(CreditDecision decision) {
        return decision.getReason() == DecisionReason.EXPIRED ? DecisionTimeoutException.expired(decision) : rejection(decision);
    }

    /** The insufficient-credits message (docs/requirements.md), plus machine-readable fields; other reasons keep the stream's text. */
    static ApiException rejection(CreditDecision decision) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("error", decision.getReason().name());
        details.put("credits", Math.max(0, decision.getBalance()));
        details.put("credits_required", decision.getCreditsRequired());
        details.put("credits_limit", decision.getCreditsLimit());
        details.put("pool", decision.getPool());
        details.put("next_reset", Timestamps.iso(decision.getNextReset()));
        String message = decision.getReason() == DecisionReason.INSUFFICIENT_CREDITS
                ? "Insufficient AI credits. You have " + Math.max(0, decision.getBalance()) + " credits, but need "
                        + decision.getCreditsRequired() + ". Credits will reset on "
                        + Timestamps.resetDay(decision.getNextReset()) + "."
                : decision.getMessage() == null ? "Request rejected: " + decision.getReason() : decision.getMessage();
        return new ApiException(HttpStatus.BAD_REQUEST, message, null, details);
    }
}
