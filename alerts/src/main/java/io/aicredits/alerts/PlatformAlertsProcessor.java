package io.aicredits.alerts;

import io.aicredits.events.AlertKind;
import io.aicredits.events.AlertRaised;
import io.aicredits.schemas.SettingKeys;
import io.aicredits.schemas.UsdNanos;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Platform budgets on the single-partition {@code platform-costs} repartition topic (every usage's
 * cost, once): PLATFORM_MONTHLY_BUDGET and PLATFORM_DAILY_BUDGET at each threshold, once per month
 * or day (by the usage's {@code created_at} in the configured zone).
 */
final class PlatformAlertsProcessor implements Processor<String, Long, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(PlatformAlertsProcessor.class);

    private final AlertsSettings settings;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, AlertState.Platform> store;
    private Budgets budgets;

    PlatformAlertsProcessor(AlertsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(AlertsTopology.PLATFORM_STORE);
        this.budgets = new Budgets(settings, context.getStateStore(AlertsTopology.SETTINGS_STORE));
    }

    @Override
    public void process(Record<String, Long> record) {
        if (record.value() == null || record.value() <= 0) {
            return;
        }
        long cost = record.value();
        var time = Instant.ofEpochMilli(record.timestamp()).atZone(settings.zone());
        String month = YearMonth.from(time).toString();
        String day = LocalDate.from(time).toString();
        AlertState.Platform p = store.get(AlertsTopology.PLATFORM_KEY);
        if (p == null) {
            p = new AlertState.Platform();
        }
        if (p.month == null || month.compareTo(p.month) > 0) {
            p.month = month;
            p.monthNanos = 0;
            p.monthFired = new ArrayList<>();
        }
        if (p.day == null || day.compareTo(p.day) > 0) {
            p.day = day;
            p.dayNanos = 0;
            p.dayFired = new ArrayList<>();
        }
        if (month.equals(p.month)) {
            p.monthNanos += cost;
            long budget = budgets.platformMonthlyNanos();
            for (int t : Thresholds.newlyReached(p.monthNanos, budget, p.monthFired, settings.thresholdsPercent())) {
                p.monthFired.add(t);
                raise(AlertKind.PLATFORM_MONTHLY_BUDGET, month, t, p.monthNanos, budget,
                        "Platform AI spend reached " + t + "% of the monthly budget: " + UsdNanos.format(p.monthNanos) + " of "
                                + UsdNanos.format(budget) + " (" + month + ").");
                if (t >= 100) {
                    markExhausted(month);
                }
            }
        }
        if (day.equals(p.day)) {
            p.dayNanos += cost;
            long budget = budgets.platformDailyNanos();
            for (int t : Thresholds.newlyReached(p.dayNanos, budget, p.dayFired, settings.thresholdsPercent())) {
                p.dayFired.add(t);
                raise(AlertKind.PLATFORM_DAILY_BUDGET, day, t, p.dayNanos, budget,
                        "Platform AI spend reached " + t + "% of the daily budget: " + UsdNanos.format(p.dayNanos) + " of "
                                + UsdNanos.format(budget) + " (" + day + ").");
            }
        }
        store.put(AlertsTopology.PLATFORM_KEY, p);
    }

    /**
     * Records on {@code ai.settings} that the monthly budget is spent; the metering stream rejects
     * requests (BUDGET_EXCEEDED) for this month when {@code budgets.platform_blocks} is true.
     */
    private void markExhausted(String month) {
        io.aicredits.events.SettingChanged previous = budgets.change(SettingKeys.PLATFORM_EXHAUSTED_PERIOD);
        io.aicredits.events.SettingChanged change = io.aicredits.events.SettingChanged.newBuilder()
                .setKey(SettingKeys.PLATFORM_EXHAUSTED_PERIOD).setValue(month)
                .setPreviousValue(previous == null ? null : previous.getValue())
                .setVersion(previous == null ? 1 : previous.getVersion() + 1)
                .setChangedBy("alerts").setChangedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .build();
        log.warn("Platform monthly AI budget spent for {}: {} = {}", month, change.getKey(), month);
        context.forward(new Record<String, Object>(change.getKey(), change, context.currentSystemTimeMs()));
    }

    private void raise(AlertKind kind, String period, int threshold, long amount, long limit, String message) {
        AlertRaised alert = AlertsTopology.alert(kind, AlertsTopology.PLATFORM_KEY, null, period, threshold, amount, limit,
                message, context.currentSystemTimeMs());
        log.info("Alert {}: {}", alert.getAlertId(), message);
        context.forward(new Record<String, Object>(alert.getAlertId(), alert, context.currentSystemTimeMs()));
    }
}
