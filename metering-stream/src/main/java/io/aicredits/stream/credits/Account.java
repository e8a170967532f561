package io.aicredits.stream.credits;

import io.aicredits.stream.MeteringTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One user's credit state, the value of {@link MeteringTopology#BALANCES_STORE}. Mutable on
 * purpose: the processor loads it, applies one event, and writes it back.
 */
public final class Account {

    public String userId;
    public String plan;
    public String periodId;
    public long periodStart;
    public long lastReset;
    public Map<String, Pool> pools = new TreeMap<>();
    /** Tokens (input + output) of usage this period, for the token limit ({@code limits.UsageLimits}). */
    public long tokensUsed;
    /** Estimated tokens of the user's open holds, counted against the token limit until they close. */
    public long tokensHeld;
    /** USD cost of usage this period in nano-dollars, for the per-user monthly budget. */
    public long costNanos;
    /** Estimated USD cost of the user's open holds in nano-dollars, counted against the budgets until they close. */
    public long costHeldNanos;

    /**
     * Starts the month's usage counters from zero: the token limit and the USD budget count per
     * monthly period. Open holds' token estimates ({@link #tokensHeld}) stay: those calls may still
     * happen and will be counted in the new period.
     */
    public void clearPeriodUsage() {
        tokensUsed = 0;
        costNanos = 0;
    }

    public Pool pool(String name) {
        return pools.computeIfAbsent(name, n -> new Pool());
    }

    /** Credits of one pool. What can be spent now is {@link #balance()}; holds are already taken out. */
    public static final class Pool {
        /** Monthly limit from the plan. */
        public long limit;
        /** What is left of this period's allowance; below zero only through recorded overage or an allowed negative adjustment. */
        public long allowance;
        /** Purchased top-ups and bonus grants: they survive resets until they expire. */
        public List<Grant> grants = new ArrayList<>();
        /** Credits currently on hold for approved, unsettled requests. */
        public long held;
        /** Credits charged in the current period (holds count until they are refunded). */
        public long used;
        /** Credits charged beyond what was available (settled usage above its hold). */
        public long overage;
        /** Incremented at every refill; a hold refunds its allowance part only within the epoch it was placed in. */
        public long epoch;

        public long balance() {
            return allowance + grantCredits(null);
        }

        public long grantCredits(String type) {
            long sum = 0;
            for (Grant g : grants) {
                if (type == null || type.equals(g.type)) {
                    sum += g.remaining;
                }
            }
            return sum;
        }
    }

    /** A top-up or bonus grant. */
    public static final class Grant {
        public String id;
        /** {@code TOP_UP} or {@code BONUS}. */
        public String type;
        public long remaining;
        public Long expiresAt;

        public Grant() {
        }

        public Grant(String id, String type, long remaining, Long expiresAt) {
            this.id = id;
            this.type = type;
            this.remaining = remaining;
            this.expiresAt = expiresAt;
        }
    }
}
