package io.aicredits.stream;

import static io.aicredits.stream.MeteringDriver.FEB_1;
import static io.aicredits.stream.MeteringDriver.JAN_15;
import static io.aicredits.stream.MeteringSettings.AI_CREDITS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.CreditDecision;
import io.aicredits.events.GrantType;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.schemas.DeadLetters;
import io.aicredits.stream.balances.BalanceView;
import io.aicredits.stream.credits.Account;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Periods and refills: monthly reset (by PeriodOpened and lazily), per-user reset, grants across resets, holds straddling a reset. */
class PeriodsTopologyTest {

    private final MeteringDriver driver = new MeteringDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldKeepTopUpsAndBonusesThroughMonthlyResetAndSpendAllowanceFirst() {
        driver.grant("u1", AI_CREDITS, 50, GrantType.TOP_UP, null);
        driver.grant("u1", AI_CREDITS, 20, GrantType.BONUS, null);
        for (int i = 0; i < 26; i++) {
            assertThat(driver.request("u1", "r" + i, "image_generation").getApproved()).isTrue();
            driver.succeeded("u1", "r" + i, "image_generation");
        }
        Account.Pool jan = driver.account("u1").pool(AI_CREDITS);
        assertThat(jan.allowance).isZero();
        assertThat(jan.grantCredits("BONUS")).isZero();
        assertThat(jan.grantCredits("TOP_UP")).isEqualTo(40);

        driver.at(FEB_1).periodOpened("2025-02", FEB_1);

        Account.Pool feb = driver.account("u1").pool(AI_CREDITS);
        assertThat(feb.allowance).isEqualTo(100);
        assertThat(feb.grantCredits("TOP_UP")).isEqualTo(40);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(140);
        assertThat(driver.ledgerSum("u1", AI_CREDITS)).isEqualTo(140);
    }

    @Test
    void shouldExpireGrantAtItsExpiry() {
        driver.grant("u1", AI_CREDITS, 30, GrantType.BONUS, JAN_15.plus(Duration.ofDays(3)));
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(130);

        driver.at(JAN_15.plus(Duration.ofDays(4))).request("u1", "r1", "text_generation");

        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(99);
        assertThat(driver.ledger("u1", LedgerKind.GRANT_EXPIRED)).singleElement()
                .satisfies(e -> assertThat(e.getDelta()).isEqualTo(-30));
    }

    @Test
    void shouldResetOneUserToLimitOnCommand() {
        driver.request("u1", "r1", "image_generation");
        driver.succeeded("u1", "r1", "image_generation");
        driver.request("u2", "r2", "image_generation");
        Instant resetAt = Instant.parse("2025-01-30T12:00:00Z");

        driver.at(resetAt).resetUser("u1");

        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(100);
        assertThat(driver.balance("u2", AI_CREDITS)).isEqualTo(95);
        assertThat(driver.ledger("u1", LedgerKind.USER_RESET)).filteredOn(e -> e.getPool().equals(AI_CREDITS))
                .singleElement().satisfies(e -> assertThat(e.getDelta()).isEqualTo(5));
        BalanceView view = driver.view("u1", resetAt);
        assertThat(view.lastReset()).isEqualTo("2025-01-30T12:00:00Z");
        assertThat(view.nextReset()).isEqualTo("2025-02-01T00:00:00Z");
        assertThat(view.pool(AI_CREDITS).used()).isZero();
    }

    @Test
    void shouldNotRefundOldPeriodAllowanceWhenHoldStraddlesReset() {
        driver.request("u1", "r1", "image_generation");
        driver.at(FEB_1).periodOpened("2025-02", FEB_1);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(100);

        driver.failed("u1", "r1", "image_generation");

        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(100);
        assertThat(driver.ledgerSum("u1", AI_CREDITS)).isEqualTo(100);
        assertThat(driver.account("u1").pool(AI_CREDITS).held).isZero();
    }

    @Test
    void shouldRefillEveryUserOnPeriodOpenedAndLogCount() {
        driver.request("u1", "r1", "image_generation");
        driver.request("u2", "r2", "text_generation");
        driver.succeeded("u2", "r2", "text_generation");

        driver.at(FEB_1.plusSeconds(1)).periodOpened("2025-02", FEB_1);

        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(100);
        assertThat(driver.balance("u2", AI_CREDITS)).isEqualTo(100);
        assertThat(driver.ledger().stream().filter(e -> e.getKind() == LedgerKind.PERIOD_RESET && e.getPool().equals(AI_CREDITS)))
                .extracting(LedgerEntry::getUserId, LedgerEntry::getDelta)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("u1", 5L), org.assertj.core.groups.Tuple.tuple("u2", 1L));
        assertThat(driver.account("u1").periodId).isEqualTo("2025-02");
        assertThat(driver.view("u2", FEB_1.plusSeconds(5)).nextReset()).isEqualTo("2025-03-01T00:00:00Z");
    }

    @Test
    void shouldRefillLazilyForUserTouchedInNewPeriodBeforePeriodOpened() {
        driver.request("u1", "r1", "image_generation");

        CreditDecision feb = driver.at(FEB_1.plus(Duration.ofHours(3))).request("u1", "r2", "text_generation");

        assertThat(feb.getBalance()).isEqualTo(99);
        assertThat(feb.getNextReset()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
        assertThat(driver.ledger("u1", LedgerKind.PERIOD_RESET)).filteredOn(e -> e.getPool().equals(AI_CREDITS))
                .singleElement().satisfies(e -> assertThat(e.getDelta()).isEqualTo(5));

        driver.periodOpened("2025-02", FEB_1);

        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(99);
        assertThat(driver.ledger("u1", LedgerKind.PERIOD_RESET)).filteredOn(e -> e.getPool().equals(AI_CREDITS)).hasSize(1);
    }

    @Test
    void shouldServeUserFirstTouchedAfterPeriodOpenedFromNewPeriod() {
        driver.periodOpened("2025-02", FEB_1);

        CreditDecision d = driver.request("u9", "r1", "image_generation");

        assertThat(d.getPeriodStart()).isEqualTo(FEB_1);
        assertThat(d.getBalance()).isEqualTo(95);
        assertThat(driver.account("u9").periodId).isEqualTo("2025-02");
    }

    @Test
    void shouldDeadLetterAPeriodOpenedInAnotherZoneAndRefillNobody() {
        // Given a user who spent in January, on a stream whose periods are in UTC
        driver.request("u1", "r1", "image_generation");

        // When a scheduler in New York opens February (05:00 UTC)
        driver.at(FEB_1.plus(Duration.ofHours(5))).periodOpened("2025-02", FEB_1.plus(Duration.ofHours(5)), "America/New_York");

        // Then it is dead-lettered with the reason, and nobody is refilled by it
        assertThat(driver.deadLetters()).singleElement()
                .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON))
                        .contains("zone America/New_York").contains("periods are in UTC"));
        assertThat(driver.ledger("u1", LedgerKind.PERIOD_RESET)).isEmpty();
        assertThat(driver.account("u1").periodId).isNotEqualTo("2025-02");

        // And the stream goes on: a period opened in its own zone still refills
        driver.periodOpened("2025-02", FEB_1);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(100);
    }

    @Test
    void shouldIgnoreRepeatedPeriodOpened() {
        driver.request("u1", "r1", "image_generation");
        driver.at(FEB_1).periodOpened("2025-02", FEB_1);
        driver.request("u1", "r2", "image_generation");
        int entries = driver.ledger().size();

        driver.periodOpened("2025-02", FEB_1);

        assertThat(driver.ledger()).hasSize(entries);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(95);
    }

    @Test
    void shouldAnswerBalanceViewForUnknownUserWithOpeningAllowance() {
        BalanceView v = driver.view("nobody", JAN_15);

        assertThat(v.plan()).isEqualTo("FREE");
        assertThat(v.periodId()).isEqualTo("2025-01");
        assertThat(v.pool(AI_CREDITS).balance()).isEqualTo(100);
        assertThat(driver.account("nobody")).isNull();
    }
}
