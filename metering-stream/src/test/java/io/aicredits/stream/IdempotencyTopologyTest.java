package io.aicredits.stream;

import static io.aicredits.stream.MeteringDriver.JAN_15;
import static io.aicredits.stream.MeteringSettings.AI_CREDITS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.LedgerKind;
import io.aicredits.stream.holds.Hold;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A repeated request id (docs/architecture.md, "Idempotency"): decided afresh when its earlier
 * attempt was rejected, released or expired; a duplicate without a hold while the earlier attempt
 * is in flight; a duplicate with what it was charged and the response its caller got once settled.
 */
class IdempotencyTopologyTest {

    private static final byte[] RESPONSE = "{\"generation_id\":\"gen-1\",\"credits_remaining\":95}"
            .getBytes(StandardCharsets.UTF_8);

    private final MeteringDriver driver = new MeteringDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldApproveRepeatedRequestIdAfterTopUpWhenItWasRejected() {
        // Given a request rejected for insufficient credits
        driver.adjust("u1", AI_CREDITS, -100);
        assertThat(driver.request("u1", "r1", "text_generation").getReason()).isEqualTo(DecisionReason.INSUFFICIENT_CREDITS);

        // When the user tops up and repeats the request id
        driver.adjust("u1", AI_CREDITS, 10);
        CreditDecision again = driver.request("u1", "r1", "text_generation");

        // Then it is a new attempt, approved with its own hold, and the store keeps the new decision
        assertThat(again.getDuplicate()).isFalse();
        assertThat(again.getApproved()).isTrue();
        assertThat(again.getCreditsHeld()).isEqualTo(1);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(9);
        assertThat(driver.decisionsStore().get("r1").getApproved()).isTrue();
        assertThat(driver.ledgerSum("u1", AI_CREDITS)).isEqualTo(9);
    }

    @Test
    void shouldPlaceNewHoldForRepeatedRequestIdWhoseHoldWasReleased() {
        // Given an approved request whose call failed (hold released)
        driver.request("u1", "r1", "image_generation");
        driver.failed("u1", "r1", "image_generation");

        // When the request id is repeated, and that attempt succeeds
        CreditDecision again = driver.request("u1", "r1", "image_generation");
        driver.succeeded("u1", "r1", "image_generation");

        // Then the repeat was a new attempt with a new hold, and the request was charged once
        assertThat(again.getDuplicate()).isFalse();
        assertThat(again.getApproved()).isTrue();
        assertThat(again.getCreditsHeld()).isEqualTo(5);
        assertThat(driver.ledger("u1", LedgerKind.HOLD_PLACED)).hasSize(2);
        assertThat(driver.holds().get("r1").state).isEqualTo(Hold.State.SETTLED);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(95);
        assertThat(driver.ledgerSum("u1", AI_CREDITS)).isEqualTo(95);
    }

    @Test
    void shouldPlaceNewHoldForRepeatedRequestIdWhoseHoldExpired() {
        // Given an approved request never reported: its hold expired
        driver.request("u1", "r1", "image_generation");
        driver.advanceWallClock(Duration.ofMinutes(11));
        assertThat(driver.holds().get("r1").state).isEqualTo(Hold.State.EXPIRED);

        // When the request id is repeated
        CreditDecision again = driver.request("u1", "r1", "image_generation");

        // Then a new hold is placed, open
        assertThat(again.getDuplicate()).isFalse();
        assertThat(again.getCreditsHeld()).isEqualTo(5);
        assertThat(driver.holds().get("r1").state).isEqualTo(Hold.State.OPEN);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(95);
    }

    @Test
    void shouldAnswerDuplicateWithoutHoldWhileEarlierAttemptIsInFlight() {
        // Given an approved request whose hold is open
        CreditDecision first = driver.request("u1", "r1", "image_generation");

        // When the request id is repeated
        CreditDecision again = driver.request("u1", "r1", "image_generation");

        // Then a duplicate: approved, nothing held by it, nothing charged yet; one hold in all
        assertThat(again.getDuplicate()).isTrue();
        assertThat(again.getApproved()).isTrue();
        assertThat(again.getCreditsHeld()).isZero();
        assertThat(again.getCreditsCharged()).isNull();
        assertThat(again.getReplayResponse()).isNull();
        assertThat(again.getHoldId()).isEqualTo(first.getHoldId());
        assertThat(driver.ledger("u1", LedgerKind.HOLD_PLACED)).hasSize(1);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(95);
        assertThat(driver.decisionsStore().get("r1").getDuplicate()).isFalse();
    }

    @Test
    void shouldAnswerDuplicateWithChargeAndResponseOnceSettled() {
        // Given a request settled by a usage carrying the response its caller got
        driver.request("u1", "r1", "image_generation");
        driver.succeededWithResponse("u1", "r1", "image_generation", RESPONSE);

        // When the request id is repeated
        CreditDecision again = driver.request("u1", "r1", "image_generation");

        // Then a duplicate with what it was charged and the very response, and no second charge
        assertThat(again.getDuplicate()).isTrue();
        assertThat(again.getApproved()).isTrue();
        assertThat(again.getCreditsHeld()).isZero();
        assertThat(again.getCreditsCharged()).isEqualTo(5);
        assertThat(bytes(again.getReplayResponse())).isEqualTo(RESPONSE);
        assertThat(driver.ledger("u1", LedgerKind.HOLD_PLACED)).hasSize(1);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(95);
        assertThat(driver.ledgerSum("u1", AI_CREDITS)).isEqualTo(95);
    }

    @Test
    void shouldAnswerDuplicateWithActualChargeWhenSettledWithoutResponse() {
        // Given a token-priced request settled to more than it held, with no response reported
        driver.requestTokens("u1", "r1", "ai_card", 2_000);
        driver.succeededTokens("u1", "r1", "ai_card", 3_000, 1_500);

        // When the request id is repeated
        CreditDecision again = driver.requestTokens("u1", "r1", "ai_card", 2_000);

        // Then the duplicate tells the settled charge, with no response to replay
        assertThat(again.getDuplicate()).isTrue();
        assertThat(again.getCreditsCharged()).isEqualTo(5);
        assertThat(again.getReplayResponse()).isNull();
    }

    @Test
    void shouldAnswerDuplicateForUsageChargedAfterItsHoldExpired() {
        // Given a hold that expired, then its usage arrived and was charged late
        driver.request("u1", "r1", "image_generation");
        driver.advanceWallClock(Duration.ofMinutes(11));
        driver.succeededWithResponse("u1", "r1", "image_generation", RESPONSE);

        // When the request id is repeated
        CreditDecision again = driver.request("u1", "r1", "image_generation");

        // Then it is a duplicate of the charged attempt, never a second hold
        assertThat(again.getDuplicate()).isTrue();
        assertThat(again.getCreditsCharged()).isEqualTo(5);
        assertThat(bytes(again.getReplayResponse())).isEqualTo(RESPONSE);
        assertThat(driver.ledger("u1", LedgerKind.HOLD_PLACED)).hasSize(1);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(95);
    }

    @Test
    void shouldNeverChargeTwiceWhenReleasedRejectedThenChargedLate() {
        // Given an attempt whose hold expired, a second attempt rejected, then the first attempt's usage
        driver.request("u1", "r1", "image_generation");
        driver.advanceWallClock(Duration.ofMinutes(11));
        driver.adjust("u1", AI_CREDITS, -98);
        assertThat(driver.request("u1", "r1", "image_generation").getApproved()).isFalse();
        driver.adjust("u1", AI_CREDITS, 98);
        driver.succeeded("u1", "r1", "image_generation");

        // When the request id is repeated once more
        CreditDecision again = driver.request("u1", "r1", "image_generation");

        // Then the charged attempt answers it: a duplicate, no new hold
        assertThat(again.getDuplicate()).isTrue();
        assertThat(again.getApproved()).isTrue();
        assertThat(again.getCreditsCharged()).isEqualTo(5);
        assertThat(driver.ledger("u1", LedgerKind.HOLD_PLACED)).hasSize(1);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(95);
    }

    @Test
    void shouldKeepDecisionAsLongAsItsSettledHoldAndForgetBothTogether() {
        // Given a hold that expired and was charged late, two hours after its decision
        driver.request("u1", "r1", "image_generation");
        driver.advanceWallClock(Duration.ofHours(2));
        driver.at(JAN_15.plus(Duration.ofHours(2))).succeeded("u1", "r1", "image_generation");

        // When the decision's dedup window has passed but not the hold's
        driver.advanceWallClock(Duration.ofHours(23));

        // Then both are still remembered, and a repeat is a duplicate
        assertThat(driver.decisionsStore().get("r1")).isNotNull();
        assertThat(driver.holds().get("r1")).isNotNull();
        assertThat(driver.at(JAN_15.plus(Duration.ofHours(25))).request("u1", "r1", "image_generation").getDuplicate()).isTrue();

        // And when the hold's window has passed too, both are forgotten together
        driver.advanceWallClock(Duration.ofHours(2));
        assertThat(driver.holds().get("r1")).isNull();
        assertThat(driver.decisionsStore().get("r1")).isNull();
    }

    @Test
    void shouldKeepNewAttemptWhenEarlierAttemptsDedupWindowEnds() {
        // Given an attempt released, and a new attempt at the same request id an hour later, open
        driver.request("u1", "r1", "image_generation");
        driver.failed("u1", "r1", "image_generation");
        driver.advanceWallClock(Duration.ofHours(1));
        CreditDecision second = driver.at(JAN_15.plus(Duration.ofHours(1))).request("u1", "r1", "image_generation");
        driver.succeeded("u1", "r1", "image_generation");

        // When the first attempt's dedup window ends
        driver.advanceWallClock(Duration.ofHours(24).minusMinutes(30));

        // Then the second attempt's decision and settled hold are still remembered, and answer a repeat
        assertThat(driver.decisionsStore().get("r1").getDecidedAt()).isEqualTo(second.getDecidedAt());
        assertThat(driver.holds().get("r1").state).isEqualTo(Hold.State.SETTLED);
        CreditDecision again = driver.at(JAN_15.plus(Duration.ofHours(24))).request("u1", "r1", "image_generation");
        assertThat(again.getDuplicate()).isTrue();
        assertThat(again.getCreditsCharged()).isEqualTo(5);
        assertThat(driver.ledger("u1", LedgerKind.HOLD_PLACED)).hasSize(2);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
