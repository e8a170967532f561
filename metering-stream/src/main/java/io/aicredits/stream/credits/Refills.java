package io.aicredits.stream.credits;

import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.schemas.MonthlyCalendar;
import io.aicredits.stream.MeteringSettings;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/**
 * Periods and what a refill restores, in one place.
 *
 * <p>Both refills, a period opening ({@code PeriodOpened}, or lazily when an account from an
 * earlier month is touched) and a manual reset ({@code ResetUser}), do the same to each pool they
 * cover: the limit is re-read from the plan, the allowance goes back to it (ledger delta = limit −
 * allowance), {@code used} and {@code overage} start from zero, and the pool's hold epoch moves on
 * so holds placed before keep the allowance they took. Grants (top-ups, bonuses) are never touched.
 *
 * <p>They differ in two things. A period opening covers every pool and moves the account to the
 * new period, which also starts the month's token and USD counters from zero
 * ({@link Account#clearPeriodUsage()}), because the token limit and the budget are monthly. A
 * manual reset covers one pool or all, stays in the current period and keeps those counters: it
 * gives credits back, not spending, so a reset cannot lift a user's monthly token limit or budget.
 */
public final class Refills {

    private final MeteringSettings settings;
    private final MonthlyCalendar calendar;

    public Refills(MeteringSettings settings) {
        this.settings = settings;
        this.calendar = new MonthlyCalendar(settings.zone());
    }

    /** The period an event at {@code now} belongs to: the later of the partition's opened period and the clock's. */
    public PeriodMark currentPeriod(long now, PeriodMark partitionMark) {
        YearMonth month = calendar.periodAt(Instant.ofEpochMilli(now));
        PeriodMark byClock = new PeriodMark(MonthlyCalendar.periodId(month), calendar.startOf(month).toEpochMilli());
        return partitionMark != null && partitionMark.startAt > byClock.startAt ? partitionMark : byClock;
    }

    /** Start of the period after the one that started at {@code periodStart}. */
    public long nextReset(long periodStart) {
        return calendar.nextOpeningAfter(Instant.ofEpochMilli(periodStart)).toEpochMilli();
    }

    /** The next reset after {@code periodStart} as user-facing messages show it (M/D/YYYY in the zone). */
    public String resetDate(long periodStart) {
        return calendar.usDate(Instant.ofEpochMilli(nextReset(periodStart)));
    }

    /** A period opening: every pool refilled (ledger PERIOD_RESET) and the month's usage counters cleared. */
    public void openPeriod(Account a, PeriodMark period, long now, List<LedgerEntry> out) {
        a.periodId = period.periodId;
        a.periodStart = period.startAt;
        a.lastReset = period.startAt;
        a.clearPeriodUsage();
        refill(a, poolNames(a), LedgerKind.PERIOD_RESET, "period:" + period.periodId, now, out);
    }

    /** A manual reset of one pool, or all when {@code pool} is null (ledger USER_RESET); the period and its usage counters stay. */
    public void resetUser(Account a, String pool, String commandId, long now, List<LedgerEntry> out) {
        a.lastReset = now;
        refill(a, pool == null ? poolNames(a) : Set.of(pool), LedgerKind.USER_RESET, commandId, now, out);
    }

    private void refill(Account a, Collection<String> pools, LedgerKind kind, String cause, long now,
                        List<LedgerEntry> out) {
        for (String name : pools) {
            Account.Pool p = a.pool(name);
            p.limit = settings.limitOf(a.plan, name);
            long delta = p.limit - p.allowance;
            p.allowance = p.limit;
            // Holds placed before the refill keep what they took: refunding their allowance part would lift the pool above its limit.
            p.refilled();
            p.used = 0;
            p.overage = 0;
            out.add(CreditBook.entry(a, name, kind, delta, cause, null, null, now));
        }
    }

    /** The account's pools plus those its plan gives an allowance in, sorted by name. */
    public SortedSet<String> poolNames(Account a) {
        SortedSet<String> names = settings.poolsOf(a.plan);
        names.addAll(a.pools.keySet());
        return names;
    }
}
