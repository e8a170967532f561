package io.aicredits.stream.balances;

import io.aicredits.stream.MeteringSettings;
import io.aicredits.stream.StateSerde;
import io.aicredits.stream.credits.Account;
import io.aicredits.stream.credits.CreditBook;
import io.aicredits.stream.credits.PeriodMark;
import io.aicredits.stream.credits.SpendOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a stored {@link Account} into the {@link BalanceView} of {@code GET /balances/{userId}}.
 * Reading never writes: a user never seen gets the default plan's opening allowance, and an
 * account from an earlier period is shown as it will be once refilled, so a query is never
 * answered from a stale period.
 */
public final class BalanceViews {

    private static final StateSerde<Account> COPIER = StateSerde.account();

    private final CreditBook book;

    public BalanceViews(MeteringSettings settings) {
        this.book = new CreditBook(settings);
    }

    public BalanceView view(String userId, Account stored, long now) {
        PeriodMark period = book.refills().currentPeriod(now, null);
        List<io.aicredits.events.LedgerEntry> discarded = new ArrayList<>();
        Account a;
        if (stored == null) {
            a = book.open(userId, now, period, discarded);
        } else {
            a = COPIER.copy(stored);
            book.refresh(a, now, period, discarded);
        }
        List<BalanceView.PoolView> pools = new ArrayList<>();
        for (Map.Entry<String, Account.Pool> e : new java.util.TreeMap<>(a.pools).entrySet()) {
            Account.Pool p = e.getValue();
            pools.add(new BalanceView.PoolView(e.getKey(), p.balance(), p.limit, p.held, p.used, p.allowance,
                    p.grantCredits(SpendOrder.TOP_UP), p.grantCredits(SpendOrder.BONUS)));
        }
        return new BalanceView(a.userId, a.plan, a.periodId, iso(a.periodStart), iso(a.lastReset),
                iso(book.refills().nextReset(a.periodStart)), pools);
    }

    private static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
