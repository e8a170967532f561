package io.aicredits.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.AiRequest;
import io.aicredits.events.GrantType;
import io.aicredits.events.LedgerKind;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.DeadLetters;
import io.aicredits.schemas.Topics;
import java.nio.charset.StandardCharsets;
import io.aicredits.stream.holds.Hold;
import java.time.Duration;
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

    @Test
    void shouldDeadLetterRecordsStampedBeyondTheClockSkewAndTouchNoStore() {
        try (MeteringDriver strict = new MeteringDriver(MeteringSettings.defaults())) {
            // Given a user with a top-up that expires on Jan 20, in January by the stream's clock (Jan 15)
            strict.grant("u1", MeteringSettings.AI_CREDITS, 50, GrantType.TOP_UP, Instant.parse("2025-01-20T00:00:00Z"));
            strict.request("u1", "r1", "text_generation");
            long balance = strict.balance("u1", MeteringSettings.AI_CREDITS);
            int ledgerSize = strict.ledger().size();

            // When a request, a usage and a command arrive stamped on Feb 1, more than 5 minutes ahead of the clock
            strict.at(MeteringDriver.FEB_1);
            strict.requests().pipeInput("u1", AiRequest.newBuilder().setRequestId("r2").setUserId("u1")
                    .setOperationType("text_generation").setRequestedAt(MeteringDriver.FEB_1).build(), MeteringDriver.FEB_1);
            strict.succeeded("u1", "r1", "text_generation");
            strict.adjust("u1", MeteringSettings.AI_CREDITS, 10);

            // Then all three are dead-lettered with the reason, and nothing changed: no decision, no ledger,
            // same period, the top-up not expired, the hold still open
            assertThat(strict.deadLetters()).hasSize(3).allSatisfy(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON))
                    .contains("record timestamp 2025-02-01T00:00:00Z is PT398H ahead of this stream's clock (2025-01-15T10:00:00Z)")
                    .contains("metering.max-clock-skew"));
            assertThat(strict.decisions()).isEmpty();
            assertThat(strict.ledger()).hasSize(ledgerSize);
            assertThat(strict.account("u1").periodId).isEqualTo("2025-01");
            assertThat(strict.account("u1").pool(MeteringSettings.AI_CREDITS).grantCredits("TOP_UP")).isEqualTo(50);
            assertThat(strict.balance("u1", MeteringSettings.AI_CREDITS)).isEqualTo(balance);
            assertThat(strict.holds().get("r1").state).isEqualTo(Hold.State.OPEN);
            assertThat(strict.holds().get("r2")).isNull();

            // And the stream keeps running: a record stamped within the skew (4 minutes ahead) is decided
            strict.at(MeteringDriver.JAN_15.plus(Duration.ofMinutes(4)));
            assertThat(strict.request("u1", "r3", "text_generation").getApproved()).isTrue();
        }
    }

    @Test
    void shouldDeadLetterAPeriodOpenedStampedAheadAndRefillNobody() {
        try (MeteringDriver strict = new MeteringDriver(MeteringSettings.defaults())) {
            strict.request("u1", "r1", "image_generation");

            strict.at(MeteringDriver.FEB_1).periodOpened("2025-02", MeteringDriver.FEB_1);

            assertThat(strict.deadLetters()).singleElement().satisfies(r ->
                    assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).contains("ahead of this stream's clock"));
            assertThat(strict.account("u1").periodId).isEqualTo("2025-01");
            assertThat(strict.balance("u1", MeteringSettings.AI_CREDITS)).isEqualTo(95);
        }
    }

    private void pipeRequest(AiRequest request) {
        byte[] value = AvroSerdes.aiRequest().encode(request);
        driver.pipeRaw(Topics.AI_REQUESTS.name(), request.getUserId().getBytes(StandardCharsets.UTF_8), value);
    }
}
