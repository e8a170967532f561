package io.aicredits.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.AiRequest;
import io.aicredits.events.LedgerKind;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.DeadLetters;
import io.aicredits.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Records that would break a store or cut a charge go to the dead-letter topic with the reason, and the next record is decided. */
class PoisonPillTopologyTest {

    private final MeteringDriver driver = new MeteringDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldDeadLetterAnOverlongUserIdAndDecideTheNextRequest() {
        // Given a request whose user id is 70,000 characters (more than the state serde can write)
        String user = "u".repeat(70_000);
        pipeRequest(AiRequest.newBuilder().setRequestId("r-long").setUserId(user).setOperationType("text_generation")
                .setRequestedAt(Instant.parse("2025-01-15T10:00:00Z")).build());

        // Then it is dead-lettered with the reason, and a normal request after it is decided
        assertThat(driver.deadLetters()).singleElement()
                .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).contains("user_id is 70000 characters long"));
        assertThat(driver.request("u1", "r1", "text_generation").getApproved()).isTrue();
    }

    @Test
    void shouldDeadLetterAnOverlongRequestId() {
        pipeRequest(AiRequest.newBuilder().setRequestId("r".repeat(5_000)).setUserId("u1").setOperationType("text_generation")
                .setRequestedAt(Instant.parse("2025-01-15T10:00:00Z")).build());

        assertThat(driver.deadLetters()).singleElement()
                .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).contains("request_id is 5000 characters long"));
        assertThat(driver.account("u1")).as("nothing held or stored").isNull();
    }

    @Test
    void shouldDeadLetterUsageWithNegativeTokensAndChargeTheHoldLater() {
        // Given an open hold for a token-priced operation
        driver.requestTokens("u1", "r1", "ai_card", 3_000);

        // When a direct producer reports negative output tokens for it
        driver.succeededTokens("u1", "r1", "ai_card", 500, -400);

        // Then the usage is dead-lettered and the hold stays open (nothing settled at a cut price)
        assertThat(driver.deadLetters()).singleElement()
                .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).contains("tokens_output is negative: -400"));
        assertThat(driver.ledger("u1", LedgerKind.HOLD_SETTLED)).isEmpty();

        // And a correct report still settles it
        driver.succeededTokens("u1", "r1", "ai_card", 500, 400);
        assertThat(driver.ledger("u1", LedgerKind.HOLD_SETTLED)).hasSize(1);
    }

    @Test
    void shouldHoldTheFullPriceForAnEstimateNearTheLargestCount() {
        // An estimate near Long.MAX_VALUE no longer overflows into a one-credit hold: it is refused
        assertThat(driver.requestTokens("u1", "r1", "ai_card", Long.MAX_VALUE - 1).getApproved()).isFalse();
        assertThat(driver.requestTokens("u1", "r2", "ai_card", 10).getApproved()).isTrue();
    }

    private void pipeRequest(AiRequest request) {
        byte[] value = AvroSerdes.aiRequest().encode(request);
        driver.pipeRaw(Topics.AI_REQUESTS.name(), request.getUserId().getBytes(StandardCharsets.UTF_8), value);
    }
}
