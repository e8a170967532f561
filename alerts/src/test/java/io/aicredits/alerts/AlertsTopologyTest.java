package io.aicredits.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.aicredits.events.AlertKind;
import io.aicredits.events.AlertRaised;
import io.aicredits.events.LedgerKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Threshold crossings: exactly one alert per threshold and period (issue 9). */
class AlertsTopologyTest {

    private AlertsDriver driver;

    @AfterEach
    void close() {
        driver.close();
    }

    private AlertsDriver driver(String userMonthly, String platformMonthly, String platformDaily) {
        driver = new AlertsDriver(AlertsSettings.defaults().withBudgets(new BigDecimal(userMonthly), new BigDecimal(platformMonthly),
                new BigDecimal(platformDaily)));
        return driver;
    }

    @Test
    void shouldRaiseExactlyOneUserBudgetAlertPerThreshold() {
        driver("10", "0", "0");

        driver.cost("u1", "4.00");
        assertThat(driver.alerts()).isEmpty();
        driver.cost("u1", "1.50");
        driver.cost("u1", "3.00");
        driver.cost("u1", "2.00");
        driver.cost("u1", "1.00");

        List<AlertRaised> alerts = driver.alerts();
        assertThat(alerts).extracting(AlertRaised::getAlertId, AlertRaised::getThresholdPercent, AlertRaised::getAmount)
                .containsExactly(
                        tuple("USER_BUDGET/u1/2025-01/50", 50, 5_500_000_000L),
                        tuple("USER_BUDGET/u1/2025-01/80", 80, 8_500_000_000L),
                        tuple("USER_BUDGET/u1/2025-01/100", 100, 10_500_000_000L));
        assertThat(alerts.get(1).getMessage())
                .isEqualTo("User u1 has used 80% of their monthly AI budget: $8.50 of $10.00 (2025-01).");
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.getKind()).isEqualTo(AlertKind.USER_BUDGET);
            assertThat(a.getLimit()).isEqualTo(10_000_000_000L);
        });
    }

    @Test
    void shouldRaiseEveryThresholdJumpedOverAndCountARepeatedUsageOnce() {
        driver("10", "0", "0");
        String id = driver.cost("u1", "8.50");
        driver.cost("u1", id, "8.50"); // the same usage re-published

        assertThat(driver.alerts()).extracting(AlertRaised::getThresholdPercent).containsExactly(50, 80);
        driver.cost("u1", "1.40");
        assertThat(driver.alerts()).isEmpty();
    }

    @Test
    void shouldStartAgainInTheNextMonthAndIgnoreLateUsageOfTheLastOne() {
        driver("10", "0", "0");
        driver.cost("u1", "6.00");
        driver.at(Instant.parse("2025-02-01T00:00:01Z")).cost("u1", "5.00");
        driver.at(Instant.parse("2025-01-31T23:59:00Z")).cost("u1", "9.00");

        assertThat(driver.alerts()).extracting(AlertRaised::getAlertId)
                .containsExactly("USER_BUDGET/u1/2025-01/50", "USER_BUDGET/u1/2025-02/50");
    }

    @Test
    void shouldTakeBudgetsFromTheSettingsTopic() {
        driver("0", "0", "0");
        driver.cost("u1", "3.00");
        assertThat(driver.alerts()).isEmpty();

        driver.setting("budgets.user_monthly_usd.user.u1", "4");
        driver.setting("budgets.user_monthly_usd", "100");
        driver.cost("u1", "0.01");
        driver.cost("u2", "60");

        assertThat(driver.alerts()).extracting(AlertRaised::getAlertId)
                .containsExactly("USER_BUDGET/u1/2025-01/50", "USER_BUDGET/u2/2025-01/50");
    }

    @Test
    void shouldRaisePlatformMonthlyAndDailyBudgetAlertsOnceAcrossUsers() {
        driver("0", "100", "20");
        driver.cost("u1", "8");
        driver.cost("u2", "3");   // day 11 of 20 → 50 %
        driver.cost("u3", "6");   // day 17 → 80 %
        driver.cost("u1", "4");   // day 21 → 100 %
        driver.at(Instant.parse("2025-01-16T09:00:00Z"));
        driver.cost("u2", "30");  // month 51 → 50 %; new day 30 → 50/80/100 %

        assertThat(driver.alerts()).extracting(AlertRaised::getAlertId).containsExactly(
                "PLATFORM_DAILY_BUDGET/platform/2025-01-15/50",
                "PLATFORM_DAILY_BUDGET/platform/2025-01-15/80",
                "PLATFORM_DAILY_BUDGET/platform/2025-01-15/100",
                "PLATFORM_MONTHLY_BUDGET/platform/2025-01/50",
                "PLATFORM_DAILY_BUDGET/platform/2025-01-16/50",
                "PLATFORM_DAILY_BUDGET/platform/2025-01-16/80",
                "PLATFORM_DAILY_BUDGET/platform/2025-01-16/100");
        assertThat(driver.settingsWritten()).isEmpty();
    }

    @Test
    void shouldMarkThePlatformBudgetExhaustedOnceAtOneHundredPercent() {
        driver("0", "10", "0");
        driver.cost("u1", "9.99");
        assertThat(driver.settingsWritten()).isEmpty();
        driver.cost("u2", "0.01");
        driver.cost("u3", "5");

        assertThat(driver.settingsWritten()).singleElement().satisfies(s -> {
            assertThat(s.getKey()).isEqualTo("budgets.platform_exhausted_period");
            assertThat(s.getValue()).isEqualTo("2025-01");
            assertThat(s.getVersion()).isEqualTo(1);
            assertThat(s.getChangedBy()).isEqualTo("alerts");
        });
        assertThat(driver.alerts()).extracting(AlertRaised::getAlertId).containsExactly(
                "PLATFORM_MONTHLY_BUDGET/platform/2025-01/50", "PLATFORM_MONTHLY_BUDGET/platform/2025-01/80",
                "PLATFORM_MONTHLY_BUDGET/platform/2025-01/100");
    }

    @Test
    void shouldRaiseLowCreditsOnceWhenAPoolDropsToTenPercent() {
        driver("0", "0", "0");
        driver.ledger("u1", "ai_credits", LedgerKind.ALLOWANCE_OPENED, 100, 100);
        driver.ledger("u1", "ai_credits", LedgerKind.HOLD_PLACED, -85, 15);
        assertThat(driver.alerts()).isEmpty();
        driver.ledger("u1", "ai_credits", LedgerKind.HOLD_PLACED, -5, 10);
        driver.ledger("u1", "ai_credits", LedgerKind.HOLD_PLACED, -1, 9);
        driver.ledger("u1", "ai_credits", LedgerKind.USER_RESET, 91, 100);
        driver.ledger("u1", "ai_credits", LedgerKind.HOLD_PLACED, -95, 5);

        List<AlertRaised> alerts = driver.alerts();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.getAlertId()).isEqualTo("LOW_CREDITS/u1/ai_credits/2025-01/10");
            assertThat(a.getAmount()).isEqualTo(10);
            assertThat(a.getLimit()).isEqualTo(100);
            assertThat(a.getMessage()).isEqualTo("User u1 has 10 of 100 ai_credits left (10% or less) in 2025-01.");
        });

        // a new period opens the pool again: one more alert, for February
        driver.at(Instant.parse("2025-02-01T00:00:00Z"));
        driver.ledger("u1", "ai_credits", LedgerKind.PERIOD_RESET, 95, 100);
        driver.ledger("u1", "ai_credits", LedgerKind.TOP_UP, 100, 200);
        driver.ledger("u1", "ai_credits", LedgerKind.HOLD_PLACED, -170, 30);
        assertThat(driver.alerts()).isEmpty();
        driver.ledger("u1", "ai_credits", LedgerKind.HOLD_PLACED, -10, 20);
        assertThat(driver.alerts()).extracting(AlertRaised::getAlertId).containsExactly("LOW_CREDITS/u1/ai_credits/2025-02/10");
    }
}
