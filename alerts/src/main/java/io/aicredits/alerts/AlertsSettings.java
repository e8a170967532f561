package io.aicredits.alerts;

import io.aicredits.schemas.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * What the alerts topology needs besides the events. Budgets here are the configured defaults;
 * the settings topic ({@code budgets.*} keys) overrides them at runtime.
 *
 * @param userMonthlyBudgetUsd     per-user monthly budget (0 = none)
 * @param platformMonthlyBudgetUsd platform monthly budget (0 = none)
 * @param platformDailyBudgetUsd   platform daily budget (0 = none)
 * @param thresholdsPercent        budget thresholds, ascending (50, 80, 100)
 * @param lowCreditsPercent        a user's pool at or below this share of its period credits raises LOW_CREDITS (10)
 * @param zone                     zone of months and days
 * @param usageDedupWindow         how long a usage id is remembered so a re-published usage counts once
 * @param topics                   topic names
 */
public record AlertsSettings(BigDecimal userMonthlyBudgetUsd, BigDecimal platformMonthlyBudgetUsd,
                             BigDecimal platformDailyBudgetUsd, List<Integer> thresholdsPercent, int lowCreditsPercent,
                             ZoneId zone, Duration usageDedupWindow, TopicNames topics) {

    public AlertsSettings {
        userMonthlyBudgetUsd = nonNegative(userMonthlyBudgetUsd, "userMonthlyBudgetUsd");
        platformMonthlyBudgetUsd = nonNegative(platformMonthlyBudgetUsd, "platformMonthlyBudgetUsd");
        platformDailyBudgetUsd = nonNegative(platformDailyBudgetUsd, "platformDailyBudgetUsd");
        thresholdsPercent = List.copyOf(thresholdsPercent).stream().sorted().toList();
        if (thresholdsPercent.isEmpty() || thresholdsPercent.get(0) <= 0) {
            throw new IllegalArgumentException("thresholds must be positive percentages, were " + thresholdsPercent);
        }
        if (lowCreditsPercent < 0 || lowCreditsPercent >= 100) {
            throw new IllegalArgumentException("lowCreditsPercent must be within 0..99, was " + lowCreditsPercent);
        }
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(usageDedupWindow, "usageDedupWindow");
        Objects.requireNonNull(topics, "topics");
    }

    /** No configured budgets (settings may add them), thresholds 50/80/100 %, low credits at 10 %, UTC. */
    public static AlertsSettings defaults() {
        return new AlertsSettings(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, List.of(50, 80, 100), 10,
                ZoneId.of("UTC"), Duration.ofHours(48), TopicNames.defaults());
    }

    public AlertsSettings withBudgets(BigDecimal userMonthly, BigDecimal platformMonthly, BigDecimal platformDaily) {
        return new AlertsSettings(userMonthly, platformMonthly, platformDaily, thresholdsPercent, lowCreditsPercent, zone,
                usageDedupWindow, topics);
    }

    private static BigDecimal nonNegative(BigDecimal v, String name) {
        BigDecimal value = v == null ? BigDecimal.ZERO : v;
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    /** Topic names; defaults are those of {@link Topics}. */
    public record TopicNames(String usage, String ledger, String settings, String alerts) {
        public static TopicNames defaults() {
            return new TopicNames(Topics.AI_USAGE.name(), Topics.CREDIT_LEDGER.name(), Topics.AI_SETTINGS.name(),
                    Topics.AI_ALERTS.name());
        }
    }
}
