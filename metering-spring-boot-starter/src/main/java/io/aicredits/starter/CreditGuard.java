package io.aicredits.starter;

import io.aicredits.client.DecisionTimeoutException;
import io.aicredits.client.MeteringClient;
import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.schemas.UsdNanos;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credit guard of {@link RequireCredits}, shared by the Spring MVC and WebFlux interceptors:
 * ask for a decision (a hold), then settle it with the handler's usage or release it.
 *
 * <p>Settling and releasing never fail the request: when the usage cannot be reported the error
 * is logged and counted, and the stream releases the unreported hold after its hold timeout.
 *
 * <p>Metrics: {@code metering.guard.decisions{operation,outcome=approved|rejected|unavailable}},
 * {@code metering.guard.decision.latency{operation}},
 * {@code metering.guard.calls{operation,outcome=settled|released}},
 * {@code metering.guard.usage.report.failures{operation}}.
 */
final class CreditGuard {

    private static final Logger log = LoggerFactory.getLogger(CreditGuard.class);
    /** Reasons a service's own annotation causes: the user cannot fix them, so they are a server error. */
    private static final Set<DecisionReason> MISCONFIGURED = Set.of(DecisionReason.UNKNOWN_OPERATION, DecisionReason.INVALID_REQUEST);
    static final String UNSPECIFIED_MODEL = "unspecified";

    private final MeteringClient client;
    private final MeterRegistry metrics;
    private final int rejectionStatus;
    private final String source;
    private final Set<String> priceMismatchesLogged = ConcurrentHashMap.newKeySet();

    CreditGuard(MeteringClient client, MeterRegistry metrics, int rejectionStatus, String source) {
        this.client = client;
        this.metrics = metrics;
        this.rejectionStatus = rejectionStatus;
        this.source = source;
    }

    /** A hold for one call of {@code method}; its usage names {@code attemptId}, so it settles only that hold. */
    record Call(RequireCredits rule, Method method, String userId, String requestId, String attemptId, long started) {
    }

    Call call(RequireCredits rule, Method method, String userId) {
        return new Call(rule, method, userId, "guard-" + UUID.randomUUID(), UUID.randomUUID().toString(), System.nanoTime());
    }

    /**
     * Asks the stream for the call's credits. Completes with the hold, or fails with
     * {@link CreditsRejectedException} / {@link CreditCheckUnavailableException}.
     */
    CompletableFuture<CreditInfo> hold(Call call) {
        RequireCredits rule = call.rule();
        AiRequest request = AiRequest.newBuilder()
                .setRequestId(call.requestId())
                .setAttemptId(call.attemptId())
                .setUserId(call.userId())
                .setOperationType(rule.operation())
                .setPool(rule.pool().isEmpty() ? null : rule.pool())
                .setModel(rule.model().isEmpty() ? null : rule.model())
                .setEstimatedCredits(rule.credits() == RequireCredits.CATALOG_PRICE ? null : rule.credits())
                .setRequestedAt(Instant.now())
                .setMetadata(Map.of("source", source, "handler", handlerName(call.method())))
                .build();
        Timer.Sample sample = Timer.start(metrics);
        return client.decide(request).handle((decision, error) -> {
            sample.stop(metrics.timer("metering.guard.decision.latency", "operation", rule.operation()));
            if (error != null) {
                outcome(rule, "unavailable");
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                log.warn("No credit decision for {} of user {} ({}): {}", call.requestId(), call.userId(), rule.operation(),
                        cause.getMessage());
                throw new CreditCheckUnavailableException(call.requestId(), cause);
            }
            return approved(call, decision);
        });
    }

    CreditInfo approved(Call call, CreditDecision decision) {
        RequireCredits rule = call.rule();
        if (decision.getReason() == DecisionReason.EXPIRED) {
            // Read after its deadline (clocks apart): nothing was held, like a timeout.
            outcome(rule, "unavailable");
            throw new CreditCheckUnavailableException(call.requestId(), DecisionTimeoutException.expired(decision));
        }
        if (!decision.getApproved()) {
            outcome(rule, "rejected");
            if (MISCONFIGURED.contains(decision.getReason())) {
                log.error("@RequireCredits on {} is rejected by the metering stream: {} {}", handlerName(call.method()),
                        decision.getReason(), decision.getMessage());
                throw new CreditsRejectedException(decision, 500);
            }
            throw new CreditsRejectedException(decision, rejectionStatus);
        }
        if (decision.getDuplicate()) {
            // Request ids are random per call: a duplicate means the id was reused, and its hold is not ours.
            outcome(rule, "duplicate");
            throw new DuplicateRequestException(decision);
        }
        outcome(rule, "approved");
        if (rule.credits() != RequireCredits.CATALOG_PRICE && rule.credits() != decision.getCreditsHeld()
                && priceMismatchesLogged.add(handlerName(call.method()))) {
            log.warn("@RequireCredits(credits = {}) on {}: the catalog holds {} {} for {}; the catalog's price applies",
                    rule.credits(), handlerName(call.method()), decision.getCreditsHeld(), decision.getPool(), rule.operation());
        }
        return new CreditInfo(decision.getRequestId(), decision.getUserId(), decision.getOperationType(), decision.getPool(),
                decision.getCreditsHeld(), decision.getBalance(), decision.getHoldExpiresAt(), decision.getNextReset());
    }

    /** Settles the hold with the reported usage (or the price). Never fails. */
    CompletableFuture<Void> settle(Call call, CreditInfo info) {
        CreditInfo.Usage usage = info.reportedUsage();
        UsageEvent.Builder event = usage(call, info, UsageStatus.SUCCEEDED)
                .setCreditsCharged(info.creditsHeld());
        if (usage != null) {
            event.setModel(usage.model())
                    .setTokensInput(usage.tokensInput())
                    .setTokensOutput(usage.tokensOutput())
                    .setImages(usage.images())
                    .setCostUsdNanos(UsdNanos.fromUsd(usage.costUsd()));
        }
        return report(call, event.build(), "settled");
    }

    /** Releases the hold: the handler failed or was cancelled. Never fails. */
    CompletableFuture<Void> release(Call call, CreditInfo info, Throwable failure) {
        String why = failure == null ? "cancelled" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return report(call, usage(call, info, UsageStatus.FAILED).setError(why).build(), "released");
    }

    private UsageEvent.Builder usage(Call call, CreditInfo info, UsageStatus status) {
        return UsageEvent.newBuilder()
                .setId("usage-" + info.requestId())
                .setRequestId(info.requestId())
                .setAttemptId(call.attemptId())
                .setUserId(info.userId())
                .setModel(call.rule().model().isEmpty() ? UNSPECIFIED_MODEL : call.rule().model())
                .setOperationType(info.operation())
                .setPool(info.pool())
                .setStatus(status)
                .setLatencyMs((System.nanoTime() - call.started()) / 1_000_000)
                .setCreatedAt(Instant.now())
                .setMetadata(Map.of("source", source, "handler", handlerName(call.method())));
    }

    private CompletableFuture<Void> report(Call call, UsageEvent event, String outcome) {
        String operation = call.rule().operation();
        return client.reportUsage(event).handle((ok, error) -> {
            if (error == null) {
                metrics.counter("metering.guard.calls", "operation", operation, "outcome", outcome).increment();
            } else {
                metrics.counter("metering.guard.usage.report.failures", "operation", operation).increment();
                log.error("Usage {} ({}) of user {} could not be reported; the stream releases its hold after the hold timeout",
                        event.getId(), outcome, event.getUserId(), error);
            }
            return null;
        });
    }

    private void outcome(RequireCredits rule, String outcome) {
        metrics.counter("metering.guard.decisions", "operation", rule.operation(), "outcome", outcome).increment();
    }

    private static String handlerName(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }
}
