package io.aicredits.stream.processing;

import io.aicredits.events.LedgerEntry;
import io.aicredits.stream.MeteringTopology;
import io.aicredits.stream.credits.Account;
import io.aicredits.stream.credits.CreditBook;
import io.aicredits.stream.credits.PeriodMark;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task's accounts ({@link MeteringTopology#BALANCES_STORE}) and the latest period opened on its
 * partition ({@link MeteringTopology#PERIODS_STORE}). An account is always served in the current
 * period: {@link #load} refills a stale one first.
 */
final class Accounts {

    private static final Logger log = LoggerFactory.getLogger(Accounts.class);
    private static final String PARTITION_PERIOD_KEY = "partition";

    private final CreditBook book;
    private final KeyValueStore<String, Account> balances;
    private final KeyValueStore<String, PeriodMark> periods;

    Accounts(CreditBook book, KeyValueStore<String, Account> balances, KeyValueStore<String, PeriodMark> periods) {
        this.book = book;
        this.balances = balances;
        this.periods = periods;
    }

    /** The user's account, created with the opening allowance or brought to the current period. */
    Account load(String userId, long timestamp, List<LedgerEntry> ledger) {
        PeriodMark period = book.refills().currentPeriod(timestamp, periods.get(PARTITION_PERIOD_KEY));
        Account account = balances.get(userId);
        if (account == null) {
            return book.open(userId, timestamp, period, ledger);
        }
        if (book.refresh(account, timestamp, period, ledger)) {
            log.info("Reset credits for user {} to {} (period {} opened lazily)", userId, CreditBook.describeLimits(account),
                    period.periodId);
        }
        return account;
    }

    void save(Account account) {
        balances.put(account.userId, account);
    }

    /**
     * Records {@code next} as the partition's period.
     *
     * @return the accounts still in an earlier period, for the caller to refill; null when
     *         {@code next} is not newer than the partition's period (a repeated or older {@code PeriodOpened})
     */
    List<Account> openPeriod(PeriodMark next) {
        PeriodMark mark = periods.get(PARTITION_PERIOD_KEY);
        if (mark != null && mark.startAt >= next.startAt) {
            return null;
        }
        periods.put(PARTITION_PERIOD_KEY, next);
        List<Account> stale = new ArrayList<>();
        try (KeyValueIterator<String, Account> it = balances.all()) {
            while (it.hasNext()) {
                KeyValue<String, Account> kv = it.next();
                if (kv.value.periodStart < next.startAt) {
                    stale.add(kv.value);
                }
            }
        }
        return stale;
    }
}
