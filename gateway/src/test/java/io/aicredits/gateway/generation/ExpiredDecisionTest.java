package io.aicredits.gateway.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.client.DecisionTimeoutException;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.gateway.web.ApiException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiredDecisionTest {

    @Test
    void shouldAnswerExpiredDecisionLikeATimeout() {
        // Given the stream read the request after its deadline
        CreditDecision expired = decision(DecisionReason.EXPIRED, "Request read 40 ms after its deadline; nothing was charged.");

        // When it becomes the HTTP answer
        RuntimeException error = MeteredCall.refusal(expired);

        // Then it is the timeout the handlers answer with 503 "nothing was charged", not a rejection
        assertThat(error).isInstanceOf(DecisionTimeoutException.class)
                .hasMessageContaining("r1").hasMessageContaining("deadline");
    }

    @Test
    void shouldStillAnswerOtherRefusalsAsRejections() {
        RuntimeException error = MeteredCall.refusal(decision(DecisionReason.INSUFFICIENT_CREDITS, null));

        assertThat(error).isInstanceOf(ApiException.class);
    }

    private static CreditDecision decision(DecisionReason reason, String message) {
        return CreditDecision.newBuilder()
                .setRequestId("r1").setAttemptId("a1").setUserId("u1").setOperationType("text_generation")
                .setPool("ai_credits").setApproved(false).setReason(reason).setMessage(message)
                .setCreditsRequired(0).setCreditsHeld(0).setBalance(100).setCreditsLimit(100)
                .setPeriodStart(Instant.parse("2025-01-01T00:00:00Z"))
                .setNextReset(Instant.parse("2025-02-01T00:00:00Z"))
                .setDecidedAt(Instant.parse("2025-01-20T10:00:00Z"))
                .build();
    }
}
