package io.aicredits.stream;

import static io.aicredits.stream.MeteringDriver.JAN_15;
import static io.aicredits.stream.MeteringSettings.AI_CREDITS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.stream.holds.Hold;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The deadline rule: a request read after its deadline, or after its client released its attempt,
 * is answered EXPIRED and holds, charges and records nothing.
 */
class ExpiredRequestsTopologyTest {

    private final MeteringDriver driver = new MeteringDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldAnswerExpiredWithoutHoldOrLedgerWhenReadAfterDeadline() {
        driver.request("u1", "warm-up", "text_generation");
        driver.succeeded("u1", "warm-up", "text_generation");
        int ledgerBefore = driver.ledger().size();
        driver.advanceWallClock(Duration.ofSeconds(10));

        CreditDecision decision = driver.request(request("u1", "r1", "a1", JAN_15.plusSeconds(5)));

        assertThat(decision.getApproved()).isFalse();
        assertThat(decision.getReason()).isEqualTo(DecisionReason.EXPIRED);
        assertThat(decision.getAttemptId()).isEqualTo("a1");
        assertThat(decision.getCreditsHeld()).isZero();
        assertThat(driver.holds().get("r1")).isNull();
        assertThat(driver.ledger()).hasSize(ledgerBefore);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(99);
        assertThat(driver.account("u1").pool(AI_CREDITS).held).isZero();
        assertThat(driver.metrics.registry().get("metering.requests.expired").tag("why", "deadline").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldDecideRequestAfreshWhenRetriedAfterExpiring() {
        driver.advanceWallClock(Duration.ofSeconds(10));
        driver.request(request("u1", "r1", "a1", JAN_15.plusSeconds(5)));

        CreditDecision retry = driver.request(request("u1", "r1", "a2", JAN_15.plusSeconds(30)));

        assertThat(retry.getApproved()).isTrue();
        assertThat(retry.getDuplicate()).isFalse();
        assertThat(retry.getAttemptId()).isEqualTo("a2");
        assertThat(driver.holds().get("r1").attemptId).isEqualTo("a2");
    }

    @Test
    void shouldDecideAsBeforeWhenRequestHasNoDeadline() {
        driver.advanceWallClock(Duration.ofDays(1));

        CreditDecision decision = driver.request("u1", "r1", "text_generation");

        assertThat(decision.getApproved()).isTrue();
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(99);
    }

    @Test
    void shouldApproveRequestReadBeforeItsDeadline() {
        CreditDecision decision = driver.request(request("u1", "r1", "a1", JAN_15.plusSeconds(5)));

        assertThat(decision.getApproved()).isTrue();
        assertThat(driver.holds().get("r1").attemptId).isEqualTo("a1");
    }

    @Test
    void shouldNeverHoldForAttemptWhoseReleaseWasReadBeforeItsRequest() {
        // The client gave up and released attempt a1; the release overtook the request.
        release("u1", "r1", "a1");

        CreditDecision decision = driver.request(request("u1", "r1", "a1", JAN_15.plusSeconds(5)));

        assertThat(decision.getReason()).isEqualTo(DecisionReason.EXPIRED);
        assertThat(decision.getApproved()).isFalse();
        assertThat(driver.holds().get("r1").state).isEqualTo(Hold.State.RELEASED);
        assertThat(driver.holds().get("r1").amount).isZero();
        assertThat(driver.account("u1")).as("no account change").isNull();
        assertThat(driver.ledger()).isEmpty();
        assertThat(driver.metrics.registry().get("metering.requests.expired").tag("why", "released").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldTreatReleaseWithoutHoldAsHarmless() {
        release("u1", "r1", "a1");

        assertThat(driver.deadLetters()).isEmpty();
        assertThat(driver.ledger()).isEmpty();
        assertThat(driver.metrics.registry().get("metering.attempts.released.before.request").counter().count())
                .isEqualTo(1.0);
        assertThat(driver.request("u1", "r2", "text_generation").getApproved()).isTrue();
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(99);
    }

    @Test
    void shouldReleaseHoldWhenClientReleasesAttemptAfterApproval() {
        driver.request(request("u1", "r1", "a1", JAN_15.plusSeconds(5)));

        release("u1", "r1", "a1");

        assertThat(driver.holds().get("r1").state).isEqualTo(Hold.State.RELEASED);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(100);
        assertThat(driver.account("u1").pool(AI_CREDITS).held).isZero();
    }

    private static AiRequest request(String user, String requestId, String attemptId, Instant deadline) {
        return AiRequest.newBuilder().setRequestId(requestId).setUserId(user).setOperationType("text_generation")
                .setAttemptId(attemptId).setDeadline(deadline).setRequestedAt(JAN_15).build();
    }

    private void release(String user, String requestId, String attemptId) {
        driver.usage(UsageEvent.newBuilder().setId("release-" + attemptId).setRequestId(requestId).setUserId(user)
                .setAttemptId(attemptId).setModel("unspecified").setOperationType("text_generation")
                .setStatus(UsageStatus.FAILED).setError("abandoned: no decision in time").setCreatedAt(JAN_15).build());
    }
}
