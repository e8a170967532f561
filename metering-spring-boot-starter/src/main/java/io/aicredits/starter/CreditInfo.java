package io.aicredits.starter;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * The credit hold of the current request, as a handler-method argument of a {@link RequireCredits}
 * method. The handler may report what its AI call actually used; that becomes the request's
 * {@code UsageEvent} on {@code ai.usage} when the handler returns (token-priced operations settle
 * to the reported tokens; fixed prices settle to the price).
 *
 * <p>Safe to use from any thread of the request.
 */
public final class CreditInfo {

    private final String requestId;
    private final String userId;
    private final String operation;
    private final String pool;
    private final long creditsHeld;
    private final long balanceAfter;
    private final Instant holdExpiresAt;
    private final Instant nextReset;
    private volatile Usage usage;

    CreditInfo(String requestId, String userId, String operation, String pool, long creditsHeld, long balanceAfter,
               Instant holdExpiresAt, Instant nextReset) {
        this.requestId = requestId;
        this.userId = userId;
        this.operation = operation;
        this.pool = pool;
        this.creditsHeld = creditsHeld;
        this.balanceAfter = balanceAfter;
        this.holdExpiresAt = holdExpiresAt;
        this.nextReset = nextReset;
    }

    /**
     * What the AI call used.
     *
     * @param model        the model called, e.g. {@code gpt-4o}
     * @param tokensInput  prompt tokens
     * @param tokensOutput completion tokens
     * @param images       images produced
     * @param costUsd      exact USD cost of the call (e.g. {@code new BigDecimal("0.0123")}); never a float
     */
    public record Usage(String model, long tokensInput, long tokensOutput, int images, BigDecimal costUsd) {
        public Usage {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(costUsd, "costUsd");
            if (tokensInput < 0 || tokensOutput < 0 || images < 0 || costUsd.signum() < 0) {
                throw new IllegalArgumentException("usage must not be negative");
            }
        }
    }

    /** Reports the call's token usage and cost; the last report before the handler returns counts. */
    public void reportUsage(String model, long tokensInput, long tokensOutput, BigDecimal costUsd) {
        reportUsage(new Usage(model, tokensInput, tokensOutput, 0, costUsd));
    }

    /** Reports what the call used; the last report before the handler returns counts. */
    public void reportUsage(Usage reported) {
        this.usage = Objects.requireNonNull(reported, "usage");
    }

    /** The request id of the decision: the idempotency key of the hold and of its usage. */
    public String requestId() {
        return requestId;
    }

    public String userId() {
        return userId;
    }

    public String operation() {
        return operation;
    }

    /** The pool the credits are held in. */
    public String pool() {
        return pool;
    }

    /** Credits on hold for this request. */
    public long creditsHeld() {
        return creditsHeld;
    }

    /** Spendable credits left in the pool after the hold. */
    public long balanceAfter() {
        return balanceAfter;
    }

    /** When the stream releases the hold if no usage arrives. */
    public Instant holdExpiresAt() {
        return holdExpiresAt;
    }

    /** When the pool's monthly allowance refills. */
    public Instant nextReset() {
        return nextReset;
    }

    /** The usage the handler reported, or null. */
    public Usage reportedUsage() {
        return usage;
    }

    @Override
    public String toString() {
        return "CreditInfo[requestId=" + requestId + ", userId=" + userId + ", operation=" + operation + ", pool=" + pool
                + ", creditsHeld=" + creditsHeld + ", balanceAfter=" + balanceAfter + "]";
    }
}
