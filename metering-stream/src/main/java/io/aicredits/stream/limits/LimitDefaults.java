package io.aicredits.stream.limits;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Configured defaults of the per-user limits (overridden at runtime by {@code ai.settings}).
 *
 * @param userTokensPerPeriod tokens (input + output) each user may use per monthly period; 0 = no limit
 * @param userMonthlyBudgetUsd USD each user may spend per monthly period; 0 = no budget
 * @param settingsTopic        name of the settings topic read into the global settings store
 */
public record LimitDefaults(long userTokensPerPeriod, BigDecimal userMonthlyBudgetUsd, String settingsTopic) {

    public LimitDefaults {
        if (userTokensPerPeriod < 0) {
            throw new IllegalArgumentException("userTokensPerPeriod must not be negative, was " + userTokensPerPeriod);
        }
        userMonthlyBudgetUsd = requireNonNegative(userMonthlyBudgetUsd, "userMonthlyBudgetUsd");
        Objects.requireNonNull(settingsTopic, "settingsTopic");
    }

    /** No limits until a setting says otherwise; settings from {@code ai.settings}. */
    public static LimitDefaults none() {
        return new LimitDefaults(0, BigDecimal.ZERO, io.aicredits.schemas.Topics.AI_SETTINGS.name());
    }

    public LimitDefaults withUserTokensPerPeriod(long tokens) {
        return new LimitDefaults(tokens, userMonthlyBudgetUsd, settingsTopic);
    }

    public LimitDefaults withUserMonthlyBudgetUsd(BigDecimal usd) {
        return new LimitDefaults(userTokensPerPeriod, usd, settingsTopic);
    }

    public LimitDefaults withSettingsTopic(String topic) {
        return new LimitDefaults(userTokensPerPeriod, userMonthlyBudgetUsd, topic);
    }

    private static BigDecimal requireNonNegative(BigDecimal v, String name) {
        BigDecimal value = v == null ? BigDecimal.ZERO : v;
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }
}
