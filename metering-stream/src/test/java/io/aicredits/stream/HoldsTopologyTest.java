package io.aicredits.stream;

import static io.aicredits.stream.MeteringDriver.JAN_15;
import static io.aicredits.stream.MeteringSettings.AI_CREDITS;
import static io.aicredits.stream.MeteringSettings.AI_TOKENS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.CreditDecision;
import io.aicredits.events.LedgerKind;
import io.aicredits.stream.holds.Hold;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Holds: settlement with overage, release, wall-clock expiry, late usage, and what a repeated usage does (a repeated request id: IdempotencyTopologyTest). */
class HoldsTopologyTest {

    private final MeteringDriver driver = new MeteringDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldChargeAndRecordOverageWhenUsageExceedsHold() {
        driver.requestTokens("u1", "r1", "ai_card", 2_000);

        driver.succeededTokens("u1", "r1", "ai_card", 3_000, 1_500);

        assertThat(driver.balance("u1", AI_TOKENS)).isEqualTo(95);
        assertThat(driver.ledger("u1", LedgerKind.OVERAGE_CHARGED)).singleElement()
                .satisfies(e -> assertThat(e.getDelta()).isEqualTo(-3));
        assertThat(driver.account("u1").pool(AI_TOKENS).overage).isZero();
        assertThat(driver.ledgerSum("u1", AI_TOKENS)).isEqualTo(95);
    }

    @Test
    void shouldGoBelowZeroOnlyByRecordedOverage() {
        driver.adjust("u1", AI_TOKENS, -98);
        driver.requestTokens("u1", "r1", "ai_card", 2_000);

        driver.succeededTokens("u1", "r1", "ai_card", 4_000, 1_000);

        assertThat(driver.balance("u1", AI_TOKENS)).isEqualTo(-3);
        assertThat(driver.account("u1").pool(AI_TOKENS).overage).isEqualTo(3);
        assertThat(driver.ledger("u1", LedgerKind.OVERAGE_CHARGED)).singleElement()
                .satisfies(e -> assertThat(e.getNote()).contains("3 beyond the available balance"));
        assertThat(driver.ledgerSum("u1", AI_TOKENS)).isEqualTo(-3);
        assertThat(driver.requestTokens("u1", "r2", "ai_card", 10).getApproved()).isFalse();
    }

    @Test
    void shouldReleaseHoldWhenCallFailed() {
        driver.request("u1", "r1", "image_generation");

        driver.failed("u1", "r1", "image_generation");

        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(100);
        assertThat(driver.ledger("u1", LedgerKind.HOLD_RELEASED)).singleElement()
                .satisfies(e -> assertThat(e.getDelta()).isEqualTo(5));
        assertThat(driver.holds().get("r1").state).isEqualTo(Hold.State.RELEASED);
        assertThat(driver.account("u1").pool(AI_CREDITS).used).isZero();
    }

    @Test
    void shouldExpireUnreportedHoldByWallClock() {
        driver.request("u1", "r1", "image_generation");
        driver.advanceWallClock(Duration.ofMinutes(9));
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(95);
        assertThat(driver.metrics.registry().get("metering.holds.open").gauge().value()).isEqualTo(1.0);

        driver.advanceWallClock(Duration.ofMinutes(1).plusSeconds(5));

        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(100);
        assertThat(driver.ledger("u1", LedgerKind.HOLD_EXPIRED)).singleElement()
                .satisfies(e -> assertThat(e.getDelta()).isEqualTo(5));
        assertThat(driver.holds().get("r1").state).isEqualTo(Hold.State.EXPIRED);
        assertThat(driver.metrics.registry().get("metering.holds.expired").counter().count()).isEqualTo(1.0);
        assertThat(driver.metrics.registry().get("metering.holds.open").gauge().value()).isZero();
    }

    @Test
    void shouldChargeUsageThatArrivesAfterItsHoldExpiredOnlyOnce() {
        driver.request("u1", "r1", "image_generation");
        driver.advanceWallClock(Duration.ofMinutes(11));

        driver.succeeded("u1", "r1", "image_generation");
        driver.succeeded("u1", "r1", "image_generation");

        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(95);
        assertThat(driver.ledgerSum("u1", AI_CREDITS)).isEqualTo(95);
    }

    @Test
    void shouldForgetRequestIdAfterDedupWindow() {
        driver.request("u1", "r1", "image_generation");
        driver.advanceWallClock(Duration.ofHours(25));

        CreditDecision later = driver.at(JAN_15.plus(Duration.ofHours(25))).request("u1", "r1", "image_generation");

        assertThat(later.getDuplicate()).isFalse();
        assertThat(later.getApproved()).isTrue();
        assertThat(driver.ledger("u1", LedgerKind.HOLD_PLACED)).hasSize(2);
    }

    @Test
    void shouldNotChargeTwiceForRepeatedUsage() {
        driver.requestTokens("u1", "r1", "ai_card", 5_000);
        driver.succeededTokens("u1", "r1", "ai_card", 1_000, 1_000);

        driver.succeededTokens("u1", "r1", "ai_card", 1_000, 1_000);

        assertThat(driver.balance("u1", AI_TOKENS)).isEqualTo(98);
        assertThat(driver.ledger("u1", LedgerKind.OTHER)).singleElement().satisfies(e -> {
            assertThat(e.getDelta()).isZero();
            assertThat(e.getNote()).contains("duplicate usage").contains("SETTLED");
        });
        assertThat(driver.ledgerSum("u1", AI_TOKENS)).isEqualTo(98);
    }

    @Test
    void shouldFlagUsageForUnknownRequestWithoutCharging() {
        driver.succeeded("u1", "never-asked", "image_generation");

        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(100);
        assertThat(driver.ledger("u1", LedgerKind.OTHER)).singleElement()
                .satisfies(e -> assertThat(e.getNote()).contains("unknown usage"));
    }
}
