package io.aicredits.stream.credits;

import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.stream.MeteringSettings;
import io.aicredits.stream.holds.Hold;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The money rules, applied to one {@link Account} at a time. Every balance change appends a
 * {@link LedgerEntry} to the given list, so the sum of a user's ledger deltas per pool always
 * equals {@link Account.Pool#balance()}. No I/O: the processor loads and stores state.
 *
 * <p>Credits are taken and given back in {@link SpendOrder}'s order; what a refill restores is in {@link Refills}.
 */
public final class CreditBook {

    private final MeteringSettings settings;
    private final Refills refills;

    public CreditBook(MeteringSettings settings) {
        this.settings = settings;
        this.refills = new Refills(settings);
    }

    /** Periods, the calendar and what a refill restores. */
    public Refills refills() {
        return refills;
    }

    /** A new user with the default plan's allowance in every pool (ledger ALLOWANCE_OPENED). */
    public Account open(String userId, long now, PeriodMark period, List<LedgerEntry> out) {
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
    public boolean refresh(Account a, long now, PeriodMark period, List<LedgerEntry> out) {
        boolean refilled = false;
        if (a.periodStart < period.startAt) {
            refills.openPeriod(a, period, now, out);
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

    /** Places a hold of {@code amount} in {@code pool}; the caller has checked the balance covers it. */
    public Hold placeHold(Account a, String pool, long amount, String requestId, String operation, Long tokensPerCredit,
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
        long uncovered = SpendOrder.take(p, amount, h);
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
    public void settle(Account a, Hold h, long actual, long now, List<LedgerEntry> out) {
        Account.Pool p = a.pool(h.pool);
        closeHold(p, h, Hold.State.SETTLED, now);
        if (actual <= h.amount) {
            long refunded = SpendOrder.refund(a, p, h, h.amount - actual, now);
            out.add(entry(a, h.pool, LedgerKind.HOLD_SETTLED, refunded, h.requestId, h.operationType,
                    "held " + h.amount + ", used " + actual + notReturned(h.amount - actual, refunded), now));
        } else {
            out.add(entry(a, h.pool, LedgerKind.HOLD_SETTLED, 0, h.requestId, h.operationType,
                    "held " + h.amount + ", used " + actual, now));
            chargeOverage(a, p, h.pool, actual - h.amount, h.requestId, h.operationType,
                    "used " + actual + " credits, " + h.amount + " were held", now, out);
        }
    }

    /** Charges usage that arrived after its hold expired and was released: the call did happen. */
    public void chargeLate(Account a, Hold h, long actual, long now, List<LedgerEntry> out) {
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
        long uncovered = SpendOrder.take(p, extra, null);
        // Nothing left to take from: the allowance goes negative and the shortfall is recorded as overage.
        p.allowance -= uncovered;
        p.overage += uncovered;
        p.used += extra;
        out.add(entry(a, pool, LedgerKind.OVERAGE_CHARGED, -extra, cause, op,
                note + (uncovered > 0 ? "; " + uncovered + " beyond the available balance" : ""), now));
    }

    /** Releases an open hold completely (failed call: HOLD_RELEASED, timeout: HOLD_EXPIRED). */
    public void release(Account a, Hold h, LedgerKind kind, Hold.State state, long now, List<LedgerEntry> out) {
        Account.Pool p = a.pool(h.pool);
        closeHold(p, h, state, now);
        long refunded = SpendOrder.refund(a, p, h, h.amount, now);
        out.add(entry(a, h.pool, kind, refunded, h.requestId, h.operationType,
                refunded == h.amount ? null : notReturned(h.amount, refunded).substring(2), now));
    }

    /** The ledger note of a refund that returned less than was due ({@link SpendOrder#refund} says why it may). */
    private static String notReturned(long due, long refunded) {
        return refunded == due ? ""
                : "; " + (due - refunded) + " credits not returned: they belonged to an earlier period or an expired grant,"
                        + " or would lift the allowance above the limit";
    }

    private void closeHold(Account.Pool p, Hold h, Hold.State state, long now) {
        p.held -= h.amount;
        h.state = state;
        h.closedAt = now;
    }

    public void grant(Account a, String pool, long credits, String type, Long expiresAt, String commandId, long now,
               List<LedgerEntry> out) {
        Account.Pool p = a.pool(pool);
        p.grants.add(new Account.Grant(commandId, type, credits, expiresAt));
        out.add(entry(a, pool, SpendOrder.TOP_UP.equals(type) ? LedgerKind.TOP_UP : LedgerKind.BONUS, credits, commandId, null,
                expiresAt == null ? null : "expires " + Instant.ofEpochMilli(expiresAt), now));
    }

    /**
     * Manual adjustment of the current period's allowance. A debit is taken in spend order.
     *
     * @return false (nothing changed) when a debit exceeds the balance and negative is not allowed
     */
    public boolean adjust(Account a, String pool, long delta, boolean allowNegative, String commandId, long now,
                   List<LedgerEntry> out) {
        Account.Pool p = a.pool(pool);
        if (delta < 0 && p.balance() + delta < 0 && !allowNegative) {
            return false;
        }
        if (delta >= 0) {
            p.allowance += delta;
        } else {
            long uncovered = SpendOrder.take(p, -delta, null);
            p.allowance -= uncovered;
        }
        out.add(entry(a, pool, LedgerKind.ADJUSTMENT, delta, commandId, null, null, now));
        return true;
    }

    /**
     * Switches plan: each pool's limit changes and the allowance moves by the same difference, so
     * an upgrade is usable at once; a downgrade never takes the allowance below zero.
     */
    public void setPlan(Account a, String plan, String commandId, long now, List<LedgerEntry> out) {
        String old = a.plan;
        a.plan = plan;
        Set<String> names = refills.poolNames(a);
        names.addAll(settings.poolsOf(plan));
        for (String name : names) {
            Account.Pool p = a.pool(name);
            long newLimit = settings.limitOf(plan, name);
            long diff = newLimit - p.limit;
            long newAllowance = diff >= 0 ? p.allowance + diff : Math.max(p.allowance + diff, Math.min(p.allowance, 0));
            long delta = newAllowance - p.allowance;
            if (diff < 0) {
                p.limitLowered();
            }
            p.limit = newLimit;
            p.allowance = newAllowance;
            out.add(entry(a, name, LedgerKind.PLAN_CHANGED, delta, commandId, null, old + " -> " + plan, now));
        }
    }

    public static String describeLimits(Account a) {
        return a.pools.size() == 1
                ? Long.toString(a.pools.values().iterator().next().limit)
                : a.pools.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().limit).toList().toString();
    }

    public static LedgerEntry entry(Account a, String pool, LedgerKind kind, long delta, String cause, String op, String note,
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
