package io.aicredits.stream;

import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The money rules, applied to one {@link Account} at a time. Every balance change appends a
 * {@link LedgerEntry} to the given list, so the sum of a user's ledger deltas per pool always
 * equals {@link Account.Pool#balance()}. No I/O: the processor loads and stores state.
 *
 * <p>Spend order: this period's allowance, then bonus grants, then purchased top-ups (grants of a
 * kind soonest-expiring first). Refunds go back in the reverse order.
 */
final class CreditBook {

    static final String TOP_UP = "TOP_UP";
    static final String BONUS = "BONUS";

    private static final Logger log = LoggerFactory.getLogger(CreditBook.class);

    private final MeteringSettings settings;
    private final Periods periods;

    CreditBook(MeteringSettings settings) {
        this.settings = settings;
        this.periods = new Periods(settings.zone());
    }

    Periods periods() {
        return periods;
    }

    /** The period an event at {@code now} belongs to: the later of the partition's opened period and the clock's. */
    PeriodMark currentPeriod(long now, PeriodMark partitionMark) {
        PeriodMark byClock = periods.periodOf(now);
        return partitionMark != null && partitionMark.startAt > byClock.startAt ? partitionMark : byClock;
    }

    /** A new user with the default plan's allowance in every pool (ledger ALLOWANCE_OPENED). */
    Account open(String userId, long now, PeriodMark period, List<LedgerEntry> out) {
        Account a = new Account();
        a.userId = userId;
        a.plan = settings.defaultPlan();
        a.periodId = period.periodId;
        a.periodStart = period.startAt;
        a.lastReset = period.startAt;
        for (String name : settings.poolsOf(a.plan)) {
            Account.Pool p = a.pool(name);
            p.limit = settings.limitOf(a.plan, name);
            p.allowance = p.limit;
            out.add(entry(a, name, LedgerKind.ALLOWANCE_OPENED, p.limit, "open:" + userId, null, null, now));
        }
        return a;
    }

    /**
     * Brings an account to the current period (lazy refill when no {@code PeriodOpened} reached it
     * yet) and expires grants past their {@code expires_at}.
     *
     * @return true when the period was refilled
     */
    boolean refresh(Account a, long now, PeriodMark period, List<LedgerEntry> out) {
        boolean refilled = false;
        if (a.periodStart < period.startAt) {
            openPeriod(a, period, now, out);
            refilled = true;
        }
        for (Map.Entry<String, Account.Pool> e : a.pools.entrySet()) {
            Iterator<Account.Grant> it = e.getValue().grants.iterator();
            while (it.hasNext()) {
                Account.Grant g = it.next();
                if (g.expiresAt != null && g.expiresAt <= now) {
                    it.remove();
                    if (g.remaining != 0) {
                        out.add(entry(a, e.getKey(), LedgerKind.GRANT_EXPIRED, -g.remaining, g.id, null,
                                "grant " + g.id + " (" + g.type + ") expired", now));
                    }
                }
            }
        }
        return refilled;
    }

    /** Every allowance back to its limit for a new period (ledger PERIOD_RESET); grants are kept. */
    void openPeriod(Account a, PeriodMark period, long now, List<LedgerEntry> out) {
        a.periodId = period.periodId;
        a.periodStart = period.startAt;
        a.lastReset = period.startAt;
        io.aicredits.stream.limits.UsageLimits.periodOpened(a);
        for (String name : poolNames(a)) {
            Account.Pool p = a.pool(name);
            p.limit = settings.limitOf(a.plan, name);
            refill(a, name, p, LedgerKind.PERIOD_RESET, "period:" + period.periodId, now, out);
            p.used = 0;
            p.overage = 0;
        }
    }

    /** Seed 000's PATCH reset for one user: the allowance (one pool or all) back to the limit now. */
    void resetUser(Account a, String pool, String commandId, long now, List<LedgerEntry> out) {
        a.lastReset = now;
        for (String name : pool == null ? poolNames(a) : Set.of(pool)) {
            Account.Pool p = a.pool(name);
            p.limit = settings.limitOf(a.plan, name);
            refill(a, name, p, LedgerKind.USER_RESET, commandId, now, out);
            p.used = 0;
            p.overage = 0;
        }
        log.info("Reset credits for user {} to {}", a.userId, describeLimits(a));
    }

    private void refill(Account a, String name, Account.Pool p, LedgerKind kind, String cause, long now,
                        List<LedgerEntry> out) {
        long delta = p.limit - p.allowance;
        p.allowance = p.limit;
        // Holds placed before the refill keep what they took: refunding their allowance part would lift the pool above its limit.
        p.epoch++;
        out.add(entry(a, name, kind, delta, cause, null, null, now));
    }

    /** Credits needed to approve a request, or -1 when the request's numbers are invalid. */
    long priceOf(MeteringSettings.Price price, Long estimatedTokens, Long estimatedCredits) {
        if (!price.tokenPriced()) {
            return price.credits();
        }
        if (estimatedTokens != null) {
            return estimatedTokens < 0 ? -1 : Math.max(price.credits(), price.creditsForTokens(estimatedTokens));
        }
        if (estimatedCredits != null) {
            return estimatedCredits < 0 ? -1 : Math.max(price.credits(), estimatedCredits);
        }
        return price.credits();
    }

    /** Places a hold of {@code amount} in {@code pool}; the caller has checked the balance covers it. */
    Hold placeHold(Account a, String pool, long amount, String requestId, String operation, Long tokensPerCredit,
                   long now, long expiresAt, List<LedgerEntry> out) {
        Account.Pool p = a.pool(pool);
        Hold h = new Hold();
        h.requestId = requestId;
        h.userId = a.userId;
        h.pool = pool;
        h.operationType = operation;
        h.amount = amount;
        h.epoch = p.epoch;
        h.periodStart = a.periodStart;
        h.tokensPerCredit = tokensPerCredit;
        h.placedAt = now;
        h.expiresAt = expiresAt;
        long uncovered = take(p, amount, h);
        if (uncovered != 0) {
            throw new IllegalStateException("hold of " + amount + " placed without cover in " + pool + " for " + a.userId);
        }
        p.held += amount;
        p.used += amount;
        out.add(entry(a, pool, LedgerKind.HOLD_PLACED, -amount, requestId, operation, null, now));
        return h;
    }

    /**
     * Settles an open hold to the credits actually used: refunds the difference, or charges the
     * excess (OVERAGE_CHARGED), going below zero only by the recorded overage.
     */
    void settle(Account a, Hold h, long actual, long now, List<LedgerEntry> out) {
        Account.Pool p = a.pool(h.pool);
        closeHold(p, h, Hold.State.SETTLED, now);
        if (actual <= h.amount) {
            long refunded = refund(a, p, h, h.amount - actual, now);
            out.add(entry(a, h.pool, LedgerKind.HOLD_SETTLED, refunded, h.requestId, h.operationType,
                    "held " + h.amount + ", used " + actual, now));
        } else {
            out.add(entry(a, h.pool, LedgerKind.HOLD_SETTLED, 0, h.requestId, h.operationType,
                    "held " + h.amount + ", used " + actual, now));
            chargeOverage(a, p, h.pool, actual - h.amount, h.requestId, h.operationType,
                    "used " + actual + " credits, " + h.amount + " were held", now, out);
        }
    }

    /** Charges usage that arrived after its hold expired and was released: the call did happen. */
    void chargeLate(Account a, Hold h, long actual, long now, List<LedgerEntry> out) {
        h.state = Hold.State.SETTLED;
        h.closedAt = now;
        chargeOverage(a, a.pool(h.pool), h.pool, actual, h.requestId, h.operationType,
                "usage arrived after the hold expired", now, out);
    }

    private void chargeOverage(Account a, Account.Pool p, String pool, long extra, String cause, String op,
                               String note, long now, List<LedgerEntry> out) {
        if (extra <= 0) {
            return;
        }
        long uncovered = take(p, extra, null);
        // Nothing left to take from: the allowance goes negative and the shortfall is recorded as overage.
        p.allowance -= uncovered;
        p.overage += uncovered;
        p.used += extra;
        out.add(entry(a, pool, LedgerKind.OVERAGE_CHARGED, -extra, cause, op,
                note + (uncovered > 0 ? "; " + uncovered + " beyond the available balance" : ""), now));
    }

    /** Releases an open hold completely (failed call: HOLD_RELEASED, timeout: HOLD_EXPIRED). */
    void release(Account a, Hold h, LedgerKind kind, Hold.State state, long now, List<LedgerEntry> out) {
        Account.Pool p = a.pool(h.pool);
        closeHold(p, h, state, now);
        long refunded = refund(a, p, h, h.amount, now);
        out.add(entry(a, h.pool, kind, refunded, h.requestId, h.operationType,
                refunded == h.amount ? null : (h.amount - refunded) + " credits belonged to an earlier period or an expired grant",
                now));
    }

    private void closeHold(Account.Pool p, Hold h, Hold.State state, long now) {
        p.held -= h.amount;
        h.state = state;
        h.closedAt = now;
    }

    void grant(Account a, String pool, long credits, String type, Long expiresAt, String commandId, long now,
               List<LedgerEntry> out) {
        Account.Pool p = a.pool(pool);
        p.grants.add(new Account.Grant(commandId, type, credits, expiresAt));
        out.add(entry(a, pool, TOP_UP.equals(type) ? LedgerKind.TOP_UP : LedgerKind.BONUS, credits, commandId, null,
                expiresAt == null ? null : "expires " + Instant.ofEpochMilli(expiresAt), now));
    }

    /**
     * Manual adjustment of the current period's allowance. A debit is taken in spend order.
     *
     * @return false (nothing changed) when a debit exceeds the balance and negative is not allowed
     */
    boolean adjust(Account a, String pool, long delta, boolean allowNegative, String commandId, long now,
                   List<LedgerEntry> out) {
        Account.Pool p = a.pool(pool);
        if (delta < 0 && p.balance() + delta < 0 && !allowNegative) {
            return false;
        }
        if (delta >= 0) {
            p.allowance += delta;
        } else {
            long uncovered = take(p, -delta, null);
            p.allowance -= uncovered;
        }
        out.add(entry(a, pool, LedgerKind.ADJUSTMENT, delta, commandId, null, null, now));
        return true;
    }

    /**
     * Switches plan: each pool's limit changes and the allowance moves by the same difference, so
     * an upgrade is usable at once; a downgrade never takes the allowance below zero.
     */
    void setPlan(Account a, String plan, String commandId, long now, List<LedgerEntry> out) {
        String old = a.plan;
        a.plan = plan;
        Set<String> names = poolNames(a);
        names.addAll(settings.poolsOf(plan));
        for (String name : names) {
            Account.Pool p = a.pool(name);
            long newLimit = settings.limitOf(plan, name);
            long diff = newLimit - p.limit;
            long newAllowance = diff >= 0 ? p.allowance + diff : Math.max(p.allowance + diff, Math.min(p.allowance, 0));
            long delta = newAllowance - p.allowance;
            p.limit = newLimit;
            p.allowance = newAllowance;
            out.add(entry(a, name, LedgerKind.PLAN_CHANGED, delta, commandId, null, old + " -> " + plan, now));
        }
    }

    /** Takes up to {@code amount} in spend order, recording the parts on {@code hold} if given; returns what was not covered. */
    private long take(Account.Pool p, long amount, Hold hold) {
        long left = amount;
        long fromAllowance = Math.min(Math.max(p.allowance, 0), left);
        p.allowance -= fromAllowance;
        left -= fromAllowance;
        if (hold != null) {
            hold.fromAllowance = fromAllowance;
        }
        for (Account.Grant g : spendOrder(p)) {
            if (left == 0) {
                break;
            }
            long part = Math.min(g.remaining, left);
            if (part > 0) {
                g.remaining -= part;
                left -= part;
                if (hold != null) {
                    hold.fromGrants.add(new Account.Grant(g.id, g.type, part, g.expiresAt));
                }
            }
        }
        p.grants.removeIf(g -> g.remaining == 0);
        return left;
    }

    /**
     * Returns up to {@code amount} of what the hold took, last-spent first, so what stays charged is
     * what the spend order would have used. A grant part whose grant expired meanwhile, and an
     * allowance part from before a refill, are not returned.
     *
     * @return credits actually returned to the balance
     */
    private long refund(Account a, Account.Pool p, Hold h, long amount, long now) {
        long left = amount;
        long refunded = 0;
        for (int i = h.fromGrants.size() - 1; i >= 0 && left > 0; i--) {
            Account.Grant part = h.fromGrants.get(i);
            long back = Math.min(part.remaining, left);
            left -= back;
            part.remaining -= back;
            if (part.expiresAt != null && part.expiresAt <= now) {
                continue;
            }
            Account.Grant live = findGrant(p, part.id);
            if (live == null) {
                // Fully spent grants leave the pool; the hold remembers enough to bring one back.
                live = new Account.Grant(part.id, part.type, 0, part.expiresAt);
                p.grants.add(live);
            }
            live.remaining += back;
            refunded += back;
        }
        h.fromGrants.removeIf(g -> g.remaining == 0);
        long fromAllowance = Math.min(h.fromAllowance, left);
        h.fromAllowance -= fromAllowance;
        if (h.epoch == p.epoch && h.periodStart == a.periodStart) {
            p.allowance += fromAllowance;
            refunded += fromAllowance;
        }
        if (h.periodStart == a.periodStart) {
            p.used -= amount;
        }
        return refunded;
    }

    private static Account.Grant findGrant(Account.Pool p, String id) {
        for (Account.Grant g : p.grants) {
            if (g.id.equals(id)) {
                return g;
            }
        }
        return null;
    }

    private static List<Account.Grant> spendOrder(Account.Pool p) {
        List<Account.Grant> order = new ArrayList<>(p.grants);
        order.sort(Comparator.comparing((Account.Grant g) -> TOP_UP.equals(g.type) ? 1 : 0)
                .thenComparing(g -> g.expiresAt == null ? Long.MAX_VALUE : g.expiresAt));
        return order;
    }

    private Set<String> poolNames(Account a) {
        Set<String> names = new TreeSet<>(a.pools.keySet());
        names.addAll(settings.poolsOf(a.plan));
        return names;
    }

    static String describeLimits(Account a) {
        return a.pools.size() == 1
                ? Long.toString(a.pools.values().iterator().next().limit)
                : a.pools.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().limit).toList().toString();
    }

    static LedgerEntry entry(Account a, String pool, LedgerKind kind, long delta, String cause, String op, String note,
                             long now) {
        return LedgerEntry.newBuilder()
                .setEntryId(cause + "/" + kind + "/" + pool)
                .setUserId(a.userId)
                .setPool(pool)
                .setKind(kind)
                .setDelta(delta)
                .setBalanceAfter(a.pools.containsKey(pool) ? a.pools.get(pool).balance() : 0)
                .setCauseId(cause)
                .setOperationType(op)
                .setNote(note)
                .setCreatedAt(Instant.ofEpochMilli(now))
                .build();
    }
}
