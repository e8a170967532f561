package io.aicredits.gateway.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.gateway.web.ApiException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class InsufficientCreditsMessageTest {

    @Test
    void shouldAnswerSeed000MessageWithMachineReadableFields() {
        // Given a rejection: 3 credits left, 5 needed, next reset on 1 February 2025
        CreditDecision decision = CreditDecision.newBuilder()
                .setRequestId("r1").setUserId("u1").setOperationType("image_generation").setPool("ai_credits")
                .setApproved(false).setReason(DecisionReason.INSUFFICIENT_CREDITS)
                .setCreditsRequired(5).setCreditsHeld(0).setBalance(3).setCreditsLimit(100)
                .setPeriodStart(Instant.parse("2025-01-01T00:00:00Z"))
                .setNextReset(Instant.parse("2025-02-01T00:00:00Z"))
                .setDecidedAt(Instant.parse("2025-01-20T10:00:00Z"))
                .build();

        // When it becomes an HTTP error
        ApiException error = MeteredCall.rejection(decision);

        // Then it is seed 000's exact 400 plus extra fields
        assertThat(error.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(error.getMessage())
                .isEqualTo("Insufficient AI credits. You have 3 credits, but need 5. Credits will reset on 2/1/2025.");
        assertThat(error.details())
                .containsEntry("error", "INSUFFICIENT_CREDITS")
                .containsEntry("credits", 3L)
                .containsEntry("credits_required", 5L)
                .containsEntry("next_reset", "2025-02-01T00:00:00.000Z");
    }
}
