package io.aicredits.stream.holds;

import io.aicredits.stream.MeteringTopology;
import io.aicredits.stream.credits.Account;
import java.util.ArrayList;
import java.util.List;

/**
 * Credits set aside for an approved request until its usage arrives, the value of
 * {@link MeteringTopology#HOLDS_STORE} (key: request id). A closed hold is kept for the dedup
 * window so a repeated usage event is recognised.
 */
public final class Hold {

    public enum State { OPEN, SETTLED, RELEASED, EXPIRED }

    public String requestId;
    public String userId;
    public String pool;
    public String operationType;
    /** Credits held. */
    public long amount;
    /** Part of {@link #amount} taken from the allowance, refundable only within {@link #epoch}. */
    public long fromAllowance;
    /** Parts taken from grants, in spend order ({@code remaining} = credits taken from that grant). */
    public List<Account.Grant> fromGrants = new ArrayList<>();
    public long epoch;
    public long periodStart;
    /** Tokens per credit when the operation was token-priced at approval; null for fixed prices. */
    public Long tokensPerCredit;
    /** The request's token estimate, counted in {@link Account#tokensHeld} while the hold is open. */
    public long estimatedTokens;
    public long placedAt;
    public long expiresAt;
    public State state = State.OPEN;
    public long closedAt;
    /** The attempt that placed this hold; a usage naming another attempt does not settle it. Null for requests without one. */
    public String attemptId;
    /** Estimated USD cost in nano-dollars, counted in {@link Account#costHeldNanos} while the hold is open. */
    public long costHeldNanos;
    /** The response the caller got, kept with a settled hold to replay to a repeated idempotency key; null when not reported. */
    public byte[] response;
}
