package io.aicredits.gateway.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aicredits.gateway.analytics.AnalyticsProperties.Tariff;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seed 002 §8: the cheapest tariff whose AI_Cost_User threshold covers the user. */
class TariffAdvisorTest {

    private final TariffAdvisor advisor = new TariffAdvisor(AnalyticsProperties.DEFAULT_TARIFFS);

    @Test
    void shouldPickTheCheapestTariffCoveringTheCostPerActiveDayInclusive() {
        assertThat(advisor.recommend(new BigDecimal("0"))).isEqualTo("Free");
        assertThat(advisor.recommend(new BigDecimal("0.050000000"))).isEqualTo("Free");
        assertThat(advisor.recommend(new BigDecimal("0.050000001"))).isEqualTo("Premium");
        assertThat(advisor.recommend(new BigDecimal("0.25"))).isEqualTo("Premium");
        assertThat(advisor.recommend(new BigDecimal("0.250000001"))).isEqualTo("Pro");
        assertThat(advisor.recommend(new BigDecimal("1000"))).isEqualTo("Pro");
    }

    @Test
    void shouldRefuseThresholdsThatDoNotIncrease() {
        assertThatThrownBy(() -> new TariffAdvisor(List.of(new Tariff("Free", new BigDecimal("0.3")),
                new Tariff("Premium", new BigDecimal("0.2")), new Tariff("Pro", null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("increase");
    }

    @Test
    void shouldRequireExactlyTheLastTariffToBeUnlimited() {
        assertThatThrownBy(() -> new TariffAdvisor(List.of(new Tariff("Free", new BigDecimal("0.05")),
                new Tariff("Premium", new BigDecimal("0.25")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only the last tariff");
        assertThatThrownBy(() -> new TariffAdvisor(List.of(new Tariff("Free", null), new Tariff("Pro", null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only the last tariff");
    }
}
