package io.aicredits.stream;

import static io.aicredits.stream.MeteringDriver.FEB_1;
import static io.aicredits.stream.MeteringDriver.JAN_15;
import static io.aicredits.stream.MeteringSettings.AI_CREDITS;
import static io.aicredits.stream.MeteringSettings.AI_TOKENS;
import static io.aicredits.stream.MeteringSettings.GENERATION_CREDITS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.OperationPrice;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Prices and decisions: approval and rejection at the balance, the seed message, token-priced holds and refunds, unknown operations, price overrides. */
class PricingTopologyTest {

    private final MeteringDriver driver = new MeteringDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldApproveAndHoldPriceForNewUserWithOpeningAllowance() {
        CreditDecision d = driver.request("u1", "r1", "image_generation");

        assertThat(d.getApproved()).isTrue();
        assertThat(d.getReason()).isEqualTo(DecisionReason.APPROVED);
        assertThat(d.getCreditsHeld()).isEqualTo(5);
        assertThat(d.getBalance()).isEqualTo(95);
        assertThat(d.getCreditsLimit()).isEqualTo(100);
        assertThat(d.getPool()).isEqualTo(AI_CREDITS);
        assertThat(d.getHoldExpiresAt()).isEqualTo(JAN_15.plus(Duration.ofMinutes(10)));
        assertThat(d.getNextReset()).isEqualTo(FEB_1);
        assertThat(d.getPeriodStart()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(driver.ledger("u1", LedgerKind.ALLOWANCE_OPENED)).extracting(LedgerEntry::getPool, LedgerEntry::getDelta)
                .contains(org.assertj.core.groups.Tuple.tuple(AI_CREDITS, 100L));
        assertThat(driver.ledger("u1", LedgerKind.HOLD_PLACED)).singleElement()
                .satisfies(e -> {
                    assertThat(e.getDelta()).isEqualTo(-5);
                    assertThat(e.getBalanceAfter()).isEqualTo(95);
                });
        assertThat(driver.account("u1").pool(AI_CREDITS).held).isEqualTo(5);
        assertThat(driver.ledgerSum("u1", AI_CREDITS)).isEqualTo(95);
        assertThat(driver.metrics.registry().get("metering.decisions")
                .tags("operation", "image_generation", "outcome", "approved").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldRejectAtBoundaryWhenBalanceFourAndPriceFive() {
        driver.adjust("u1", AI_CREDITS, -96);

        CreditDecision d = driver.request("u1", "r1", "image_generation");

        assertThat(d.getApproved()).isFalse();
        assertThat(d.getReason()).isEqualTo(DecisionReason.INSUFFICIENT_CREDITS);
        assertThat(d.getBalance()).isEqualTo(4);
        assertThat(d.getCreditsRequired()).isEqualTo(5);
        assertThat(d.getCreditsHeld()).isZero();
        assertThat(d.getNextReset()).isEqualTo(FEB_1);
        assertThat(d.getMessage()).isEqualTo("Insufficient AI credits. You have 4 credits, but need 5. Credits will reset on 2/1/2025.");
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(4);
        assertThat(driver.ledger("u1", LedgerKind.HOLD_PLACED)).isEmpty();
    }

    @Test
    void shouldKeepTheConfiguredPriceWhenAnOverrideIsInvalid() {
        // Given an override that would divide by zero: ai_card at 0 tokens per credit
        driver.price("ai_card", OperationPrice.newBuilder().setOperationType("ai_card").setPool(AI_TOKENS)
                .setCredits(1).setTokensPerCredit(0L).setUpdatedAt(JAN_15).build());

        // When a request for ai_card arrives
        CreditDecision d = driver.requestTokens("u1", "r1", "ai_card", 2_500);

        // Then it is decided at the configured price and the stream keeps running
        assertThat(d.getApproved()).isTrue();
        assertThat(d.getCreditsHeld()).isEqualTo(MeteringSettings.Price.creditsForTokens(2_500, MeteringSettings.TOKENS_PER_CREDIT));
        assertThat(driver.request("u1", "r2", "text_generation").getApproved()).isTrue();
    }

    @Test
    void shouldRoundTokensUpWithoutOverflowNearTheLargestCount() {
        assertThat(MeteringSettings.Price.creditsForTokens(Long.MAX_VALUE, 1_000)).isEqualTo(Long.MAX_VALUE / 1_000 + 1);
        assertThat(MeteringSettings.Price.creditsForTokens(2_000, 1_000)).isEqualTo(2);
        assertThat(MeteringSettings.Price.creditsForTokens(2_001, 1_000)).isEqualTo(3);
    }

    @Test
    void shouldNameTheResetDayInTheStreamsZone() {
        // Given a stream whose periods are in Europe/Berlin, and 28 Feb 23:30 UTC, already 1 March 00:30 in Berlin
        try (MeteringDriver berlin = new MeteringDriver(MeteringDriver.fixtureSettings().withZone(ZoneId.of("Europe/Berlin")))) {
            berlin.at(Instant.parse("2025-02-28T23:30:00Z")).adjust("u1", AI_CREDITS, -97);

            // When the user asks for an image with 3 credits left
            CreditDecision d = berlin.request("u1", "r1", "image_generation");

            // Then the next reset is 1 April in Berlin, not 1 March as in UTC
            assertThat(d.getNextReset()).isEqualTo(Instant.parse("2025-03-31T22:00:00Z"));
            assertThat(d.getMessage()).isEqualTo("Insufficient AI credits. You have 3 credits, but need 5. Credits will reset on 4/1/2025.");
        }
    }

    @Test
    void shouldApproveWhenBalanceExactlyCoversPriceAndRejectSeedMessageAtThree() {
        driver.adjust("u1", AI_CREDITS, -95);
        assertThat(driver.request("u1", "r1", "image_generation").getBalance()).isZero();
        driver.adjust("u1", AI_CREDITS, 3);

        CreditDecision d = driver.request("u1", "r2", "image_generation");

        assertThat(d.getMessage()).isEqualTo("Insufficient AI credits. You have 3 credits, but need 5. Credits will reset on 2/1/2025.");
    }

    @Test
    void shouldLogSeedStyleDeductionAndKeepLedgerEqualToBalanceForTextAndImage() {
        driver.request("u1", "r1", "text_generation");
        driver.request("u1", "r2", "image_generation");
        driver.succeeded("u1", "r1", "text_generation");
        driver.succeeded("u1", "r2", "image_generation");

        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(94);
        assertThat(driver.account("u1").pool(AI_CREDITS).held).isZero();
        assertThat(driver.account("u1").pool(AI_CREDITS).used).isEqualTo(6);
        assertThat(driver.ledgerSum("u1", AI_CREDITS)).isEqualTo(94);
    }

    @Test
    void shouldRefundDifferenceWhenTokenUsageBelowEstimate() {
        CreditDecision d = driver.requestTokens("u1", "r1", "ai_card", 5_000);
        assertThat(d.getCreditsHeld()).isEqualTo(5);
        assertThat(d.getBalance()).isEqualTo(95);

        driver.succeededTokens("u1", "r1", "ai_card", 1_200, 900);

        assertThat(driver.balance("u1", AI_TOKENS)).isEqualTo(97);
        assertThat(driver.ledger("u1", LedgerKind.HOLD_SETTLED)).singleElement()
                .satisfies(e -> assertThat(e.getDelta()).isEqualTo(2));
        assertThat(driver.account("u1").pool(AI_TOKENS).held).isZero();
        assertThat(driver.account("u1").pool(AI_TOKENS).used).isEqualTo(3);
        assertThat(driver.ledgerSum("u1", AI_TOKENS)).isEqualTo(97);
    }

    @Test
    void shouldRejectUnknownOperation() {
        CreditDecision d = driver.request("u1", "r1", "teleportation");

        assertThat(d.getApproved()).isFalse();
        assertThat(d.getReason()).isEqualTo(DecisionReason.UNKNOWN_OPERATION);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(100);
    }

    @Test
    void shouldUsePriceOverrideFromPricesTopicUntilTombstone() {
        driver.price("image_generation", OperationPrice.newBuilder().setOperationType("image_generation")
                .setPool(AI_CREDITS).setCredits(7).setUpdatedAt(JAN_15).build());

        assertThat(driver.request("u1", "r1", "image_generation").getCreditsHeld()).isEqualTo(7);

        driver.price("image_generation", null);

        assertThat(driver.request("u1", "r2", "image_generation").getCreditsHeld()).isEqualTo(5);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(88);
    }

    @Test
    void shouldPriceSeed003OperationsInGenerationCredits() {
        assertThat(driver.request("u1", "r1", "upscale").getCreditsHeld()).isEqualTo(2);
        assertThat(driver.request("u1", "r2", "basic_image").getCreditsHeld()).isEqualTo(1);

        assertThat(driver.balance("u1", GENERATION_CREDITS)).isEqualTo(7);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(100);
    }
}
