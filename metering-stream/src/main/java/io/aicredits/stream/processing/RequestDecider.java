package io.aicredits.stream.processing;

import static io.aicredits.stream.processing.InvalidEventException.isBlank;
import static io.aicredits.stream.processing.InvalidEventException.requireId;
import static io.aicredits.stream.processing.InvalidEventException.requireKeyIsUser;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.LedgerEntry;
import io.aicredits.stream.MeteringMetrics;
import io.aicredits.stream.MeteringSettings;
import io.aicredits.stream.credits.Account;
import io.aicredits.stream.credits.CreditBook;
import io.aicredits.stream.credits.Pricing;
import io.aicredits.stream.holds.Hold;
import io.aicredits.stream.holds.Holds;
import io.aicredits.stream.limits.UsageLimits;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers an {@code AiRequest}: a duplicate for a repeated request id whose earlier attempt is in
 * flight or was charged; otherwise a rejection (unknown operation, negative estimates, token limit
 * or budget, insufficient credits) or an approval that places a hold for the price (remembering
 * the attempt that placed it). A request past its deadline is answered EXPIRED first
 * ({@link #rejectedAsExpired}). Every decision names the attempt it answers. The rules for a
 * repeated request id: docs/architecture.md, "Idempotency"; for deadlines and attempts:
 * "Deadlines and attempts".
 */
final class RequestDecider {

    private static final Logger log = LoggerFactory.getLogger(RequestDecider.class);

    private final MeteringSettings settings;
    private final CreditBook book;
    private final Pricing pricing;
    private final UsageLimits limits;
    private final Accounts accounts;
    private final Holds holds;
    private final Idempotency idempotency;
    private final Outputs outputs;
    private final MeteringMetrics metrics;

    RequestDecider(MeteringSettings settings, CreditBook book, Pricing pricing, UsageLimits limits, Accounts accounts,
                   Holds holds, Idempotency idempotency, Outputs outputs, MeteringMetrics metrics) {
        this.settings = settings;
        this.book = book;
        this.pricing = pricing;
        this.limits = limits;
        this.accounts = accounts;
        this.holds = holds;
        this.idempotency = idempotency;
        this.outputs = outputs;
        this.metrics = metrics;
    }

    void onRequest(String key, AiRequest req, long timestamp, long now) {
        if (isBlank(req.getRequestId()) || isBlank(req.getUserId())) {
            throw new InvalidEventException("AiRequest needs request_id and user_id");
        }
        requireId("AiRequest request_id", req.getRequestId());
        requireId("AiRequest user_id", req.getUserId());
        requireKeyIsUser(key, req.getUserId());
        if (rejectedAsExpired(req, timestamp, now)) {
            return;
        }
        Hold earlier = earlierAttempt(req);
        List<LedgerEntry> ledger = new ArrayList<>();
        Account account = accounts.load(req.getUserId(), timestamp, ledger);
        CreditDecision decision;
        if (earlier != null) {
            decision = duplicate(req, account, earlier, now);
        } else {
            decision = decide(req, account, timestamp, now, ledger);
            idempotency.decided(decision);
        }
        accounts.save(account);
        outputs.ledger(ledger);
        metrics.decision(req.getOperationType(), decision.getApproved(), decision.getDuplicate());
        outputs.decision(decision, req.getReplyPartition(), timestamp);
    }

    /**
     * The deadline rule: a request read after its deadline, or whose attempt was already released
     * by its client (the release overtook it), is answered EXPIRED and changes nothing: no hold, no
     * ledger entry, no account change, and no stored decision (a retry of the request id is decided
     * afresh). Requests without a deadline (older producers) are decided as before.
     *
     * @return true when the request was answered here
     */
    private boolean rejectedAsExpired(AiRequest req, long timestamp, long now) {
        String why;
        if (req.getDeadline() != null && req.getDeadline().toEpochMilli() < now) {
            why = "deadline";
        } else if (req.getAttemptId() != null && holds.ofAttempt(req.getRequestId(), req.getAttemptId()) != null) {
            why = "released";
        } else {
            return false;
        }
        Account account = accounts.load(req.getUserId(), timestamp, new ArrayList<>());
        String pool = poolOr(req.getPool(), pricing.poolOf(req.getOperationType()));
        String message = why.equals("deadline")
                ? "Request read " + (now - req.getDeadline().toEpochMilli()) + " ms after its deadline; nothing was charged."
                : "Attempt " + req.getAttemptId() + " was released by its client before it was read; nothing was charged.";
        log.info("Expired request {} attempt {} of user {}: {}", req.getRequestId(), req.getAttemptId(), req.getUserId(),
                message);
        metrics.expired(req.getOperationType(), why);
        outputs.decision(reject(req, account, pool, DecisionReason.EXPIRED, 0, message, now), req.getReplyPartition(),
                timestamp);
        return true;
    }

    /**
     * The hold of an earlier attempt at this request id that is still in flight (OPEN) or was
     * charged (SETTLED): the request is then answered as a duplicate. Null when the request id is
     * new, or its earlier attempts were rejected, released or expired: then nothing was charged,
     * and the request is decided afresh as a new attempt (after a top-up it may be approved).
     */
    private Hold earlierAttempt(AiRequest req) {
        Hold hold = holds.get(req.getRequestId());
        if (hold == null) {
            return null;
        }
        if (!hold.userId.equals(req.getUserId())) {
            throw new InvalidEventException("request " + req.getRequestId() + " of user " + req.getUserId()
                    + " reuses the request id of another user's hold");
        }
        return hold.state == Hold.State.OPEN || hold.state == Hold.State.SETTLED ? hold : null;
    }

    /**
     * The answer to a repeated request id whose earlier attempt holds or was charged: approved,
     * nothing held by this one. Settled: what the attempt was charged and, when its usage carried
     * it, the response its caller got; in flight: no charge yet ({@code credits_charged} null).
     */
    private CreditDecision duplicate(AiRequest req, Account account, Hold earlier, long now) {
        boolean settled = earlier.state == Hold.State.SETTLED;
        return decisionBase(req, account, earlier.pool, now)
                .setApproved(true).setReason(DecisionReason.APPROVED)
                .setCreditsRequired(earlier.amount).setCreditsHeld(0)
                .setHoldId(earlier.requestId).setHoldExpiresAt(Instant.ofEpochMilli(earlier.expiresAt))
                .setDuplicate(true)
                .setCreditsCharged(settled ? idempotency.chargedFor(earlier) : null)
                .setReplayResponse(settled && earlier.response != null ? ByteBuffer.wrap(earlier.response) : null)
                .build();
    }

    private CreditDecision decide(AiRequest req, Account account, long timestamp, long now, List<LedgerEntry> ledger) {
        MeteringSettings.Price price = pricing.priceOf(req.getOperationType());
        if (price == null) {
            return reject(req, account, poolOr(req.getPool(), "unknown"), DecisionReason.UNKNOWN_OPERATION, 0,
                    "Unknown operation " + req.getOperationType() + ".", now);
        }
        String pool = poolOr(req.getPool(), price.pool());
        long required = Pricing.holdAmount(price, req.getEstimatedTokens(), req.getEstimatedCredits());
        Account.Pool p = account.pool(pool);
        long estimatedCost = req.getEstimatedCostUsdNanos() == null ? 0 : req.getEstimatedCostUsdNanos();
        if (required < 0 || estimatedCost < 0) {
            return reject(req, account, pool, DecisionReason.INVALID_REQUEST, 0, "Estimates must not be negative.", now);
        }
        long estimatedTokens = req.getEstimatedTokens() == null ? 0 : req.getEstimatedTokens();
        String resetDate = book.refills().resetDate(account.periodStart);
        UsageLimits.Breach breach = limits.check(account, price.tokenPriced() || estimatedTokens > 0, estimatedTokens,
                estimatedCost, resetDate);
        if (breach != null) {
            log.info("Rejected request {} of user {} ({}): {}", req.getRequestId(), account.userId, breach.reason(),
                    breach.message());
            return reject(req, account, pool, breach.reason(), required, breach.message(), now);
        }
        if (p.balance() < required) {
            // The exact wording users see (docs/requirements.md); a negative balance shows as 0.
            return reject(req, account, pool, DecisionReason.INSUFFICIENT_CREDITS, required,
                    "Insufficient AI credits. You have " + Math.max(0, p.balance()) + " credits, but need " + required
                            + ". Credits will reset on " + resetDate + ".", now);
        }
        long expiresAt = now + settings.holdTimeout().toMillis();
        Hold hold = book.placeHold(account, pool, required, req.getRequestId(), req.getOperationType(),
                price.tokensPerCredit(), timestamp, expiresAt, ledger);
        hold.attemptId = req.getAttemptId();
        UsageLimits.holdPlaced(account, hold, estimatedTokens, estimatedCost);
        holds.placed(hold);
        log.info("Deducted {} credits from user {} ({}). New balance: {}", required, account.userId,
                req.getOperationType(), p.balance());
        return decisionBase(req, account, pool, now)
                .setApproved(true).setReason(DecisionReason.APPROVED)
                .setCreditsRequired(required).setCreditsHeld(required)
                .setHoldId(hold.requestId).setHoldExpiresAt(Instant.ofEpochMilli(expiresAt))
                .build();
    }

    private CreditDecision reject(AiRequest req, Account account, String pool, DecisionReason reason, long required,
                                  String message, long now) {
        return decisionBase(req, account, pool, now)
                .setApproved(false).setReason(reason).setMessage(message)
                .setCreditsRequired(required).setCreditsHeld(0)
                .build();
    }

    private CreditDecision.Builder decisionBase(AiRequest req, Account account, String pool, long now) {
        Account.Pool p = account.pools.get(pool);
        return CreditDecision.newBuilder()
                .setRequestId(req.getRequestId())
                .setAttemptId(req.getAttemptId())
                .setUserId(req.getUserId())
                .setOperationType(req.getOperationType())
                .setPool(pool)
                .setBalance(p == null ? 0 : p.balance())
                .setCreditsLimit(p == null ? 0 : p.limit)
                .setPeriodStart(Instant.ofEpochMilli(account.periodStart))
                .setNextReset(Instant.ofEpochMilli(book.refills().nextReset(account.periodStart)))
                .setDuplicate(false)
                .setDecidedAt(Instant.ofEpochMilli(now));
    }

    static String poolOr(String pool, String fallback) {
        return isBlank(pool) ? fallback : pool;
    }
}
