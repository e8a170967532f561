package io.aicredits.alerts;

import io.aicredits.events.AlertKind;
import io.aicredits.events.AlertRaised;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.UsageEvent;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.EventDecodingException;
import io.aicredits.schemas.UsdNanos;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-user alerts, on the user's partition of {@code ai.usage} and {@code credit.ledger}:
 * USER_BUDGET at each threshold of the monthly budget, LOW_CREDITS when a pool drops to the
 * low-credits share of its period credits. Each usage's cost (once per usage id) is forwarded as a
 * {@code Long} for the platform budgets. Fired thresholds live in the store, which commits with
 * the alerts (exactly-once), so a restart or replay never repeats one.
 */
final class UserAlertsProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(UserAlertsProcessor.class);

    private final AlertsSettings settings;
    private final AvroSerde<UsageEvent> usageSerde = AvroSerdes.usageEvent();
    private final AvroSerde<LedgerEntry> ledgerSerde = AvroSerdes.ledgerEntry();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, AlertState.User> users;
    private KeyValueStore<String, Long> seenUsage;
    private Budgets budgets;

    UserAlertsProcessor(AlertsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.users = context.getStateStore(AlertsTopology.USER_STORE);
        this.seenUsage = context.getStateStore(AlertsTopology.SEEN_USAGE_STORE);
        this.budgets = new Budgets(settings, context.getStateStore(AlertsTopology.SETTINGS_STORE));
        context.schedule(java.time.Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, this::purgeSeen);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
        if (record.value() == null) {
            return;
        }
        try {
            if (topic.equals(settings.topics().usage())) {
                onUsage(usageSerde.decode(topic, record.value()));
            } else if (topic.equals(settings.topics().ledger())) {
                onLedger(ledgerSerde.decode(topic, record.value()));
            } else {
                throw new IllegalStateException("user alerts are not subscribed to " + topic);
            }
        } catch (EventDecodingException e) {
            // The metering stream dead-letters the same record; here it only cannot count.
            log.warn("Skipping undecodable record on {}: {}", topic, e.getMessage());
        }
    }

    private void onUsage(UsageEvent usage) {
        if (usage.getCostUsdNanos() <= 0 || seenUsage.get(usage.getId()) != null) {
            return;
        }
        long at = usage.getCreatedAt().toEpochMilli();
        seenUsage.put(usage.getId(), context.currentSystemTimeMs());
        context.forward(new Record<String, Object>(AlertsTopology.PLATFORM_KEY, usage.getCostUsdNanos(), at));

        String month = month(at);
        AlertState.User user = load(usage.getUserId());
        if (user.month != null && month.compareTo(user.month) < 0) {
            return; // a late usage of an earlier month: that month's alerts are closed
        }
        if (!month.equals(user.month)) {
            user.month = month;
            user.costNanos = 0;
            user.budgetFired = new ArrayList<>();
        }
        user.costNanos += usage.getCostUsdNanos();
        long budget = budgets.userMonthlyNanos(usage.getUserId());
        for (int t : Thresholds.newlyReached(user.costNanos, budget, user.budgetFired, settings.thresholdsPercent())) {
            user.budgetFired.add(t);
            raise(AlertKind.USER_BUDGET, usage.getUserId(), null, month, t, user.costNanos, budget,
                    "User " + usage.getUserId() + " has used " + t + "% of their monthly AI budget: "
                            + UsdNanos.format(user.costNanos) + " of " + UsdNanos.format(budget) + " (" + month + ").");
        }
        users.put(usage.getUserId(), user);
    }

    private void onLedger(LedgerEntry e) {
        long at = e.getCreatedAt().toEpochMilli();
        String month = month(at);
        AlertState.User user = load(e.getUserId());
        AlertState.Pool pool = user.pools.get(e.getPool());
        switch (e.getKind()) {
            case ALLOWANCE_OPENED, PERIOD_RESET -> {
                pool = new AlertState.Pool();
                pool.month = month;
                pool.credits = e.getBalanceAfter();
            }
            case USER_RESET, PLAN_CHANGED -> {
                pool = pool == null ? newPool(month, e) : pool;
                pool.credits = Math.max(pool.credits, e.getBalanceAfter());
            }
            case TOP_UP, BONUS -> {
                pool = pool == null ? newPool(month, e) : pool;
                pool.credits += e.getDelta();
            }
            default -> {
                if (pool == null || month.compareTo(pool.month) > 0) {
                    // First sight of this pool (or of this month without a reset seen yet): the balance before this entry.
                    pool = newPool(month, e);
                }
            }
        }
        user.pools.put(e.getPool(), pool);
        if (e.getDelta() < 0 && !pool.lowFired && pool.credits > 0 && month.equals(pool.month)
                && e.getBalanceAfter() * 100 <= pool.credits * (long) settings.lowCreditsPercent()) {
            pool.lowFired = true;
            long left = Math.max(0, e.getBalanceAfter());
            raise(AlertKind.LOW_CREDITS, e.getUserId(), e.getPool(), month, settings.lowCreditsPercent(), left, pool.credits,
                    "User " + e.getUserId() + " has " + left + " of " + pool.credits + " " + e.getPool() + " left ("
                            + settings.lowCreditsPercent() + "% or less) in " + month + ".");
        }
        users.put(e.getUserId(), user);
    }

    private static AlertState.Pool newPool(String month, LedgerEntry e) {
        AlertState.Pool p = new AlertState.Pool();
        p.month = month;
        p.credits = e.getBalanceAfter() - e.getDelta();
        return p;
    }

    private AlertState.User load(String userId) {
        AlertState.User user = users.get(userId);
        return user == null ? new AlertState.User() : user;
    }

    private void raise(AlertKind kind, String subject, String pool, String period, int threshold, long amount, long limit,
                       String message) {
        AlertRaised alert = AlertsTopology.alert(kind, subject, pool, period, threshold, amount, limit, message,
                context.currentSystemTimeMs());
        log.info("Alert {}: {}", alert.getAlertId(), message);
        context.forward(new Record<String, Object>(alert.getAlertId(), alert, context.currentSystemTimeMs()));
    }

    private String month(long epochMillis) {
        return YearMonth.from(Instant.ofEpochMilli(epochMillis).atZone(settings.zone())).toString();
    }

    private void purgeSeen(long now) {
        long keepAfter = now - settings.usageDedupWindow().toMillis();
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = seenUsage.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (kv.value < keepAfter) {
                    old.add(kv.key);
                }
            }
        }
        old.forEach(seenUsage::delete);
    }
}
