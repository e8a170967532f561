package io.aicredits.starter;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aicredits.client.DecisionTimeoutException;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Method;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiredDecisionGuardTest {

    @Test
    void shouldAnswerAnExpiredDecisionAsUnavailableNotAsARejection() throws Exception {
        // Given a guard answering rejections with 402, and a decision the stream read after its deadline
        CreditGuard guard = new CreditGuard(null, new SimpleMeterRegistry(), 402, "test");
        Method handler = MvcGuardTest.MvcController.class.getDeclaredMethod("upscale", CreditInfo.class);
        CreditGuard.Call call = guard.call(handler.getAnnotation(RequireCredits.class), handler, "u1");
        CreditDecision expired = CreditDecision.newBuilder()
                .setRequestId(call.requestId()).setAttemptId(call.attemptId()).setUserId("u1").setOperationType("upscale")
                .setPool("generation_credits").setApproved(false).setReason(DecisionReason.EXPIRED)
                .setMessage("read after its deadline").setCreditsRequired(0).setCreditsHeld(0).setBalance(10)
                .setCreditsLimit(10).setPeriodStart(Instant.parse("2025-01-01T00:00:00Z"))
                .setNextReset(Instant.parse("2025-02-01T00:00:00Z")).setDecidedAt(Instant.now()).build();

        // When / Then the handler does not run and the caller gets 503 "nothing was charged"
        assertThatThrownBy(() -> guard.approved(call, expired))
                .isInstanceOfSatisfying(CreditCheckUnavailableException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(503))
                .hasMessageContaining("nothing was charged")
                .hasCauseInstanceOf(DecisionTimeoutException.class);
    }
}
