package io.aicredits.stream.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code metering.limits.*} binds to the limit defaults; without it there are no limits. */
class LimitPropertiesTest {

    @Test
    void shouldBindConfiguredLimitDefaults() {
        Map<String, String> yaml = Map.of(
                "metering.limits.user-tokens-per-period", "100000",
                "metering.limits.user-monthly-budget-usd", "5.50",
                "metering.limits.settings-topic", "tenant-a.ai.settings");

        LimitDefaults limits = new Binder(new MapConfigurationPropertySource(yaml))
                .bind("metering.limits", LimitProperties.class).get().toDefaults();

        assertThat(limits.userTokensPerPeriod()).isEqualTo(100_000);
        assertThat(limits.userMonthlyBudgetUsd()).isEqualByComparingTo("5.50");
        assertThat(limits.settingsTopic()).isEqualTo("tenant-a.ai.settings");
    }

    @Test
    void shouldHaveNoLimitsByDefault() {
        LimitDefaults limits = new LimitProperties().toDefaults();

        assertThat(limits.userTokensPerPeriod()).isZero();
        assertThat(limits.userMonthlyBudgetUsd()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(limits.settingsTopic()).isEqualTo("ai.settings");
    }
}
