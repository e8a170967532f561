package io.aicredits.stream.processing;

import static io.aicredits.stream.processing.InvalidEventException.isBlank;
import static io.aicredits.stream.processing.InvalidEventException.requireId;
import static io.aicredits.stream.processing.InvalidEventException.requireNotNegative;
import static io.aicredits.stream.processing.InvalidEventException.requireKeyIsUser;

import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.stream.MeteringMetrics;
import io.aicredits.stream.credits.Account;
import io.aicredits.stream.credits.CreditBook;
import io.aicredits.stream.credits.Pricing;
import io.aicredits.stream.holds.Hold;
import io.aicredits.stream.holds.Holds;
import io.aicredits.stream.limits.UsageLimits;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes holds: a {@code UsageEvent} settles its hold to the actual cost (SUCCEEDED) or releases
 * it (FAILED); a hold with no usage by its {@code expiresAt} is released as expired. Usage after
 * expiry is still charged, once; a repeated or unknown usage charges nothing and is noted. A usage
 * naming an attempt touches only that attempt's hold; a release of an attempt whose request has not
 * been read yet is remembered, so that request never holds.
 */
final class UsageSettler {

    private static final Logger log = LoggerFactory.getLogger(UsageSettler.class);

    private final CreditBook book;
    private final Pricing pricing;
    private final Accounts accounts;
    private final Holds holds;
    private final Idempotency idempotency;
    private final Outputs outputs;
    private final MeteringMetrics metrics;

    UsageSettler(CreditBook book, Pricing pricing, Accounts accounts, Holds holds, Idempotency idempotency, Outputs outputs,
                 MeteringMetrics metrics) {
        this.book = book;
        this.pricing = pricing;
        this.accounts = accounts;
        this.holds = holds;
        this.idempotency = idempotency;
        this.outputs = outputs;
        this.metrics = metrics;
    }

    void onUsage(String key, UsageEvent usage, long timestamp, long now) {
        if (isBlank(usage.getRequestId()) || isBlank(usage.getUserId())) {
            throw new InvalidEventException("UsageEvent needs request_id and user_id");
        }
        requireId("UsageEvent request_id", usage.getRequestId());
        requireId("UsageEvent user_id", usage.getUserId());
        requireNotNegative("UsageEvent tokens_input", usage.getTokensInput());
        requireNotNegative("UsageEvent tokens_output", usage.getTokensOutput());
        requireNotNegative("UsageEvent tokens_cached_input", usage.getTokensCachedInput());
        requireNotNegative("UsageEvent images", usage.getImages());
        requireNotNegative("UsageEvent audio_seconds", usage.getAudioSeconds());
        requireNotNegative("UsageEvent cost_usd_nanos", usage.getCostUsdNanos());
        requireKeyIsUser(key, usage.getUserId());
        List<LedgerEntry> ledger = new ArrayList<>();
        Hold hold = holds.get(usage.getRequestId());
        if (hold != null && !hold.userId.equals(usage.getUserId())) {
            throw new InvalidEventException("usage " + usage.getId() + " names user " + usage.getUserId()
                    + " but request " + usage.getRequestId() + " belongs to another user");
        }
        if (hold != null && !ofSameAttempt(hold, usage)) {
            metrics.usageOfOtherAttempt();
            log.warn("Usage {} of request {} names attempt {}, but the hold belongs to attempt {}: nothing charged",
                    usage.getId(), usage.getRequestId(), usage.getAttemptId(), hold.attemptId);
            return;
        }
        if (hold == null && usage.getStatus() == UsageStatus.FAILED && usage.getAttemptId() != null) {
            releasedBeforeRequest(usage, timestamp, now);
            return;
        }
        Account account = accounts.load(usage.getUserId(), timestamp, ledger);
        if (hold == null) {
            ledger.add(CreditBook.entry(account,
                    RequestDecider.poolOr(usage.getPool(), pricing.poolOf(usage.getOperationType())),
                    LedgerKind.OTHER, 0, usage.getRequestId(), usage.getOperationType(),
                    "unknown usage " + usage.getId() + ": no hold for request " + usage.getRequestId() + ", nothing charged", now));
            log.warn("Usage {} for unknown request {} of user {}: nothing charged", usage.getId(), usage.getRequestId(), usage.getUserId());
        } else if (hold.state == Hold.State.OPEN) {
            UsageLimits.holdClosed(account, hold);
            UsageLimits.used(account, usage);
            if (usage.getStatus() == UsageStatus.FAILED) {
                book.release(account, hold, LedgerKind.HOLD_RELEASED, Hold.State.RELEASED, now, ledger);
            } else {
                long actual = Pricing.settledAmount(hold, usage);
                book.settle(account, hold, actual, now, ledger);
                charged(hold, usage, actual);
                log.info("Settled {} credits for user {} ({}). New balance: {}", actual, account.userId,
                        hold.operationType, account.pool(hold.pool).balance());
            }
            close(hold);
        } else if (hold.state == Hold.State.EXPIRED && usage.getStatus() == UsageStatus.SUCCEEDED) {
            long actual = Pricing.settledAmount(hold, usage);
            book.chargeLate(account, hold, actual, now, ledger);
            charged(hold, usage, actual);
            UsageLimits.used(account, usage);
            close(hold);
        } else {
            ledger.add(CreditBook.entry(account, hold.pool, LedgerKind.OTHER, 0, hold.requestId, hold.operationType,
                    "duplicate usage " + usage.getId() + ": hold already " + hold.state + ", nothing charged", now));
            log.warn("Duplicate usage {} for request {} (hold {}): nothing charged", usage.getId(), hold.requestId, hold.state);
        }
        accounts.save(account);
        outputs.ledger(ledger);
    }

    /** Without an attempt on either side (older producers or holds), a usage settles whatever hold its request id has. */
    private static boolean ofSameAttempt(Hold hold, UsageEvent usage) {
        return usage.getAttemptId() == null || hold.attemptId == null || usage.getAttemptId().equals(hold.attemptId);
    }

    /**
     * A client released an attempt (it stopped waiting for the decision) before its request was
     * read: nothing is charged and nothing changes on the account, but the attempt is remembered
     * for the dedup window as a released, empty hold, so its request, when it comes, is answered
     * EXPIRED and never holds ({@link RequestDecider}).
     */
    private void releasedBeforeRequest(UsageEvent usage, long timestamp, long now) {
        Hold released = new Hold();
        released.requestId = usage.getRequestId();
        released.attemptId = usage.getAttemptId();
        released.userId = usage.getUserId();
        released.pool = RequestDecider.poolOr(usage.getPool(), pricing.poolOf(usage.getOperationType()));
        released.operationType = usage.getOperationType();
        released.placedAt = timestamp;
        released.expiresAt = now;
        released.state = Hold.State.RELEASED;
        released.closedAt = now;
        close(released);
        metrics.releasedBeforeRequest();
        log.info("Attempt {} of request {} of user {} released before its request was read ({}): nothing held, nothing charged",
                usage.getAttemptId(), usage.getRequestId(), usage.getUserId(), usage.getError());
    }

    /** Releases every open hold due by {@code now} (ledger HOLD_EXPIRED): no usage came in time. */
    void expireDue(long now) {
        for (Hold h : holds.due(now)) {
            List<LedgerEntry> ledger = new ArrayList<>();
            Account account = accounts.load(h.userId, now, ledger);
            book.release(account, h, LedgerKind.HOLD_EXPIRED, Hold.State.EXPIRED, now, ledger);
            UsageLimits.holdClosed(account, h);
            log.info("Hold {} of user {} ({} credits, {}) expired without usage. New balance: {}", h.requestId, h.userId,
                    h.amount, h.operationType, account.pool(h.pool).balance());
            close(h);
            accounts.save(account);
            outputs.ledger(ledger);
            metrics.holdExpired();
        }
    }

    /**
     * An attempt was charged: what it cost, and the response its caller got when the usage carries
     * one, are kept for the dedup window to answer a repeated request id.
     */
    private void charged(Hold hold, UsageEvent usage, long actual) {
        ByteBuffer response = usage.getResponse();
        if (response != null) {
            hold.response = new byte[response.remaining()];
            response.duplicate().get(hold.response);
        }
        idempotency.charged(hold.requestId, actual);
    }

    /** A closed hold leaves the expiry index and is remembered for the dedup window from its closing time. */
    private void close(Hold hold) {
        holds.closed(hold);
        idempotency.closedHold(hold);
    }
}
