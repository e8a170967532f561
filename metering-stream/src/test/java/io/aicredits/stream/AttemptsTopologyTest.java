package io.aicredits.stream;

import static io.aicredits.stream.MeteringDriver.JAN_15;
import static io.aicredits.stream.MeteringSettings.AI_CREDITS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.stream.holds.Hold;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The attempt rule: decisions answer the attempt that asked, and a usage touches only its attempt's hold. */
class AttemptsTopologyTest {

    private final MeteringDriver driver = new MeteringDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldAddressDuplicateDecisionToTheRepeatingAttempt() {
        CreditDecision first = driver.request(request("u1", "r1", "a1"));

        CreditDecision second = driver.request(request("u1", "r1", "a2"));

        assertThat(first.getAttemptId()).isEqualTo("a1");
        assertThat(first.getDuplicate()).isFalse();
        assertThat(second.getAttemptId()).isEqualTo("a2");
        assertThat(second.getDuplicate()).isTrue();
        assertThat(driver.holds().get("r1").attemptId).isEqualTo("a1");
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(99);
    }

    @Test
    void shouldNotSettleHoldWithUsageOfAnotherAttempt() {
        driver.request(request("u1", "r1", "a1"));

        usage("u1", "r1", "a0", UsageStatus.FAILED);
        usage("u1", "r1", "a0", UsageStatus.SUCCEEDED);

        Hold hold = driver.holds().get("r1");
        assertThat(hold.state).isEqualTo(Hold.State.OPEN);
        assertThat(driver.account("u1").pool(AI_CREDITS).held).isEqualTo(1);
        assertThat(driver.metrics.registry().get("metering.usage.other.attempt").counter().count()).isEqualTo(2.0);

        usage("u1", "r1", "a1", UsageStatus.SUCCEEDED);

        assertThat(driver.holds().get("r1").state).isEqualTo(Hold.State.SETTLED);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(99);
        assertThat(driver.account("u1").pool(AI_CREDITS).held).isZero();
    }

    @Test
    void shouldSettleAnyHoldOfTheRequestWhenUsageNamesNoAttempt() {
        driver.request(request("u1", "r1", "a1"));

        driver.succeeded("u1", "r1", "text_generation");

        assertThat(driver.holds().get("r1").state).isEqualTo(Hold.State.SETTLED);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(99);
    }

    private static AiRequest request(String user, String requestId, String attemptId) {
        return AiRequest.newBuilder().setRequestId(requestId).setUserId(user).setOperationType("text_generation")
                .setAttemptId(attemptId).setRequestedAt(JAN_15).build();
    }

    private void usage(String user, String requestId, String attemptId, UsageStatus status) {
        driver.usage(UsageEvent.newBuilder().setId("usage-" + attemptId + "-" + status).setRequestId(requestId)
                .setUserId(user).setAttemptId(attemptId).setModel("gpt-4o-mini").setOperationType("text_generation")
                .setStatus(status).setCreatedAt(JAN_15).build());
    }
}
