package io.aicredits.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Method;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A duplicate decision is answered truthfully: in flight (nothing charged yet) or charged once, never "unavailable". */
class CreditGuardDuplicateTest {

    private final CreditGuard guard = new CreditGuard(null, new SimpleMeterRegistry(), 403, "test");

    @Test
    void shouldAnswerInFlightDuplicateWith409SayingNothingWasCharged() throws Exception {
        CreditGuard.Call call = call();

        assertThatThrownBy(() -> guard.approved(call, duplicate(call, null)))
                .isInstanceOf(DuplicateRequestException.class)
                .hasMessageContaining("still being processed").hasMessageContaining("Nothing was charged")
                .satisfies(e -> {
                    CreditGuardException answer = (CreditGuardException) e;
                    assertThat(answer.status()).isEqualTo(409);
                    assertThat(answer.error()).isEqualTo("REQUEST_IN_PROGRESS");
                });
    }

    @Test
    void shouldAnswerSettledDuplicateWith409SayingWhatWasChargedOnce() throws Exception {
        CreditGuard.Call call = call();

        assertThatThrownBy(() -> guard.approved(call, duplicate(call, 2L)))
                .isInstanceOf(DuplicateRequestException.class)
                .hasMessageContaining("already processed").hasMessageContaining("charged once, 2 credits")
                .satisfies(e -> {
                    CreditGuardException answer = (CreditGuardException) e;
                    assertThat(answer.status()).isEqualTo(409);
                    assertThat(answer.error()).isEqualTo("DUPLICATE_REQUEST");
                    assertThat(answer.details()).containsEntry("credits_charged", 2L);
                });
    }

    private CreditGuard.Call call() throws Exception {
        Method upscale = MvcGuardTest.MvcController.class.getDeclaredMethod("upscale", CreditInfo.class);
        return guard.call(upscale.getAnnotation(RequireCredits.class), upscale, "u1");
    }

    private static CreditDecision duplicate(CreditGuard.Call call, Long charged) {
        return CreditDecision.newBuilder()
                .setRequestId(call.requestId()).setUserId("u1").setOperationType("upscale").setPool("generation_credits")
                .setApproved(true).setReason(DecisionReason.APPROVED)
                .setCreditsRequired(2).setCreditsHeld(0).setBalance(8).setCreditsLimit(10)
                .setPeriodStart(Instant.parse("2026-12-01T00:00:00Z")).setNextReset(Instant.parse("2027-01-01T00:00:00Z"))
                .setDuplicate(true).setDecidedAt(Instant.now()).setCreditsCharged(charged)
                .build();
    }
}
