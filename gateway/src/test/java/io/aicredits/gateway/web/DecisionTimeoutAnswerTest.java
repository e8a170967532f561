package io.aicredits.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.client.DecisionTimeoutException;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

class DecisionTimeoutAnswerTest {

    @Test
    void shouldAnswerAnExpiredDecision503NothingWasCharged() {
        // Given the timeout an EXPIRED decision becomes
        DecisionTimeoutException expired = DecisionTimeoutException.expired(CreditDecision.newBuilder()
                .setRequestId("r1").setUserId("u1").setOperationType("text_generation").setPool("ai_credits")
                .setApproved(false).setReason(DecisionReason.EXPIRED).setMessage("read after its deadline")
                .setCreditsRequired(0).setCreditsHeld(0).setBalance(100).setCreditsLimit(100)
                .setPeriodStart(Instant.parse("2025-01-01T00:00:00Z")).setNextReset(Instant.parse("2025-02-01T00:00:00Z"))
                .setDecidedAt(Instant.parse("2025-01-20T10:00:00Z")).build());

        // When the gateway answers it
        ResponseEntity<Map<String, Object>> answer = new ApiExceptionHandler().decisionTimeout(expired);

        // Then it is the timeout's 503
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getBody()).containsEntry("message", "Credit check timed out; nothing was charged. Please retry.")
                .containsEntry("error", "METERING_TIMEOUT");
    }
}
