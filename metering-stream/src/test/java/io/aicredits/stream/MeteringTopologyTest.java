package io.aicredits.stream;

import static io.aicredits.stream.MeteringDriver.FEB_1;
import static io.aicredits.stream.MeteringDriver.JAN_15;
import static io.aicredits.stream.MeteringSettings.AI_CREDITS;
import static io.aicredits.stream.MeteringSettings.AI_TOKENS;
import static io.aicredits.stream.MeteringSettings.GENERATION_CREDITS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.CreditCommand;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.GrantType;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.OperationPrice;
import io.aicredits.events.SetPlan;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.DeadLetters;
import io.aicredits.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MeteringTopologyTest {

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
    void shouldReturnStoredDecisionForRepeatedRequestIdWithoutSecondHold() {
        CreditDecision first = driver.request("u1", "r1", "image_generation");

        CreditDecision again = driver.request("u1", "r1", "image_generation");

        assertThat(again.getDuplicate()).isTrue();
        assertThat(again.getApproved()).isTrue();
        assertThat(again.getHoldId()).isEqualTo(first.getHoldId());
        assertThat(again.getBalance()).isEqualTo(95);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(95);
        assertThat(driver.ledger("u1", LedgerKind.HOLD_PLACED)).hasSize(1);
    }

    @Test
    void shouldRepeatRejectionForRepeatedRequestIdEvenAfterCreditsArrive() {
        driver.adjust("u1", AI_CREDITS, -100);
        assertThat(driver.request("u1", "r1", "text_generation").getApproved()).isFalse();
        driver.adjust("u1", AI_CREDITS, 10);

        CreditDecision again = driver.request("u1", "r1", "text_generation");

        assertThat(again.getApproved()).isFalse();
        assertThat(again.getDuplicate()).isTrue();
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(10);
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
    void shouldApplyRepeatedCommandIdOnce() {
        CreditCommand grant = CreditCommand.newBuilder().setCommandId("grant-1").setUserId("u1").setActor("admin")
                .setIssuedAt(JAN_15).setCommand(io.aicredits.events.GrantCredits.newBuilder().setPool(AI_CREDITS)
                        .setCredits(50).setGrantType(GrantType.TOP_UP).build()).build();

        driver.command("u1", grant);
        driver.command("u1", grant);

        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(150);
        assertThat(driver.ledger("u1", LedgerKind.TOP_UP)).hasSize(1);
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
    void shouldApplyPlanChangeDifferenceToAllowance() {
        driver.request("u1", "r1", "image_generation");

        driver.setPlan("u1", "PRO");

        Account.Pool p = driver.account("u1").pool(AI_CREDITS);
        assertThat(p.limit).isEqualTo(500);
        assertThat(p.balance()).isEqualTo(495);
        assertThat(driver.account("u1").plan).isEqualTo("PRO");
        assertThat(driver.account("u1").pool(GENERATION_CREDITS).limit).isEqualTo(50);

        driver.adjust("u1", AI_CREDITS, -450);
        driver.setPlan("u1", "FREE");

        assertThat(driver.account("u1").pool(AI_CREDITS).limit).isEqualTo(100);
        assertThat(driver.balance("u1", AI_CREDITS)).isZero();
        assertThat(driver.ledgerSum("u1", AI_CREDITS)).isZero();
        assertThat(driver.ledger("u1", LedgerKind.PLAN_CHANGED)).extracting(LedgerEntry::getPool, LedgerEntry::getDelta)
                .contains(org.assertj.core.groups.Tuple.tuple(AI_CREDITS, 400L), org.assertj.core.groups.Tuple.tuple(AI_CREDITS, -45L));
    }

    @Test
    void shouldDeadLetterUnknownPlanAndKeepPlan() {
        driver.setPlan("u1", "PLATINUM");

        assertThat(driver.deadLetters()).singleElement()
                .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).contains("unknown plan PLATINUM"));
        assertThat(driver.account("u1")).isNull();
    }

    @Test
    void shouldResetOneUserToLimitOnCommand() {
        driver.request("u1", "r1", "image_generation");
        driver.succeeded("u1", "r1", "image_generation");
        driver.request("u2", "r2", "image_generation");
        Instant resetAt = Instant.parse("2025-01-30T12:00:00Z");

        String cmd = driver.at(resetAt).resetUser("u1");

        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(100);
        assertThat(driver.balance("u2", AI_CREDITS)).isEqualTo(95);
        assertThat(driver.ledger("u1", LedgerKind.USER_RESET)).filteredOn(e -> e.getPool().equals(AI_CREDITS))
                .singleElement().satisfies(e -> assertThat(e.getDelta()).isEqualTo(5));
        BalanceView view = driver.view("u1", resetAt);
        assertThat(view.lastReset()).isEqualTo("2025-01-30T12:00:00Z");
        assertThat(view.nextReset()).isEqualTo("2025-02-01T00:00:00Z");
        assertThat(view.lastCommandId()).isEqualTo(cmd);
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
    void shouldDeadLetterGarbageBytesOnEveryInputAndKeepRunning() {
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        for (var topic : new String[] {Topics.AI_REQUESTS.name(), Topics.AI_USAGE.name(), Topics.CREDIT_COMMANDS.name()}) {
            driver.pipeRaw(topic, "u1".getBytes(StandardCharsets.UTF_8), garbage);
        }

        var dead = driver.deadLetters();

        assertThat(dead).hasSize(3);
        assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC))
                .containsExactly(Topics.AI_REQUESTS.name(), Topics.AI_USAGE.name(), Topics.CREDIT_COMMANDS.name());
        for (TestRecord<byte[], byte[]> r : dead) {
            assertThat(r.value()).isEqualTo(garbage);
            assertThat(r.key()).isEqualTo("u1".getBytes(StandardCharsets.UTF_8));
            assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).contains("Cannot decode");
            assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
            assertThat(DeadLetters.header(r.headers(), DeadLetters.EXCEPTION)).isNotEmpty();
        }
        assertThat(driver.request("u1", "r1", "image_generation").getApproved()).isTrue();
        assertThat(driver.metrics.registry().get("metering.dlq").counters()).hasSize(3);
    }

    @Test
    void shouldDeadLetterRecordNotKeyedByItsUser() {
        CreditCommand grant = CreditCommand.newBuilder().setCommandId("c1").setUserId("u1").setActor("admin")
                .setIssuedAt(JAN_15).setCommand(SetPlan.newBuilder().setPlan("PRO").build()).build();

        driver.command("someone-else", grant);

        assertThat(driver.deadLetters()).singleElement()
                .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).contains("is not its user_id"));
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

    @Test
    void shouldAnswerBalanceViewForUnknownUserWithOpeningAllowance() {
        BalanceView v = driver.view("nobody", JAN_15);

        assertThat(v.plan()).isEqualTo("FREE");
        assertThat(v.periodId()).isEqualTo("2025-01");
        assertThat(v.pool(AI_CREDITS).balance()).isEqualTo(100);
        assertThat(driver.account("nobody")).isNull();
    }

    @Test
    void shouldRouteDecisionToRequestedReplyPartition() {
        var partitioner = new MeteringTopology.ReplyPartitioner();
        CreditDecision d = AvroSerdes.creditDecision().decode("t",
                AvroSerdes.creditDecision().encode(driver.request("u1", "r1", "text_generation")));

        assertThat(partitioner.partitions("ai.decisions", "r1", new RoutedDecision(d, 4), 6)).contains(Set.of(4));
        assertThat(partitioner.partitions("ai.decisions", "r1", new RoutedDecision(d, null), 6)).isEqualTo(Optional.empty());
        assertThat(partitioner.partitions("ai.decisions", "r1", new RoutedDecision(d, 9), 6)).isEqualTo(Optional.empty());
    }
}
