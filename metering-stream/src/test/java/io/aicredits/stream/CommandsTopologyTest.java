package io.aicredits.stream;

import static io.aicredits.stream.MeteringDriver.JAN_15;
import static io.aicredits.stream.MeteringSettings.AI_CREDITS;
import static io.aicredits.stream.MeteringSettings.GENERATION_CREDITS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.CreditCommand;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.GrantType;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.SetPlan;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.DeadLetters;
import io.aicredits.schemas.Topics;
import io.aicredits.stream.balances.CommandOutcomeView;
import io.aicredits.stream.credits.Account;
import io.aicredits.stream.processing.RoutedDecision;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Commands and inputs: command ids applied once, plan changes, dead letters for invalid records, reply-partition routing. */
class CommandsTopologyTest {

    private final MeteringDriver driver = new MeteringDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldApplyRepeatedCommandIdOnce() {
        CreditCommand grant = CreditCommand.newBuilder().setCommandId("grant-1").setUserId("u1").setActor("admin")
                .setIssuedAt(JAN_15).setCommand(io.aicredits.events.GrantCredits.newBuilder().setPool(AI_CREDITS)
                        .setCredits(50).setGrantType(GrantType.TOP_UP).build()).build();

        driver.command("u1", grant);
        driver.command("u1", grant);

        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(150);
        assertThat(driver.ledger("u1", LedgerKind.TOP_UP)).hasSize(1);
        assertThat(driver.commandOutcome("grant-1").applied()).isTrue();
    }

    @Test
    void shouldRecordAppliedOutcomeOfCommand() {
        // Given a user with the opening allowance
        // When an admin adds 20 credits
        String id = driver.adjust("u1", AI_CREDITS, 20);

        // Then the command's outcome is applied, for that user, and its balance view names it
        assertThat(driver.commandOutcome(id)).satisfies(outcome -> {
            assertThat(outcome.applied()).isTrue();
            assertThat(outcome.userId()).isEqualTo("u1");
            assertThat(outcome.reason()).isNull();
        });
        assertThat(CommandOutcomeView.of("u1", id, driver.commandOutcome(id)).state()).isEqualTo(CommandOutcomeView.APPLIED);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(120);
    }

    @Test
    void shouldRecordRefusedOutcomeWithTheDeadLetterReason() {
        // Given a user with 100 credits
        // When an admin deducts 500 without allowing a negative balance
        String id = driver.adjust("u1", AI_CREDITS, -500);

        // Then nothing changes, the command is dead-lettered, and its outcome is refused with the same reason
        String deadLetterReason = DeadLetters.header(driver.deadLetters().get(0).headers(), DeadLetters.REASON);
        assertThat(deadLetterReason).contains("below zero");
        assertThat(driver.commandOutcome(id)).satisfies(outcome -> {
            assertThat(outcome.applied()).isFalse();
            assertThat(outcome.reason()).isEqualTo(deadLetterReason);
        });
        assertThat(CommandOutcomeView.of("u1", id, driver.commandOutcome(id)))
                .extracting(CommandOutcomeView::state, CommandOutcomeView::reason)
                .containsExactly(CommandOutcomeView.REFUSED, deadLetterReason);
        assertThat(driver.account("u1")).isNull();
    }

    @Test
    void shouldRefuseRepeatOfRefusedCommandIdEvenWhenItWouldNowApply() {
        // Given a deduct of 150 refused while the user had 100
        CreditCommand deduct = CreditCommand.newBuilder().setCommandId("deduct-1").setUserId("u1").setActor("admin")
                .setIssuedAt(JAN_15).setCommand(io.aicredits.events.AdjustCredits.newBuilder().setPool(AI_CREDITS)
                        .setDelta(-150).setAllowNegative(false).build()).build();
        driver.command("u1", deduct);
        String reason = driver.commandOutcome("deduct-1").reason();

        // When the user gets 100 more and the same command id comes again
        driver.adjust("u1", AI_CREDITS, 100);
        driver.command("u1", deduct);

        // Then the outcome of the id is final for the dedup window: still refused with the first reason, nothing deducted
        assertThat(driver.commandOutcome("deduct-1").applied()).isFalse();
        assertThat(driver.commandOutcome("deduct-1").reason()).isEqualTo(reason);
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(200);
        assertThat(driver.deadLetters()).hasSize(1);
    }

    @Test
    void shouldForgetCommandOutcomeAfterDedupWindow() {
        String id = driver.adjust("u1", AI_CREDITS, 20);

        driver.advanceWallClock(driver.settings.dedupWindow().plus(driver.settings.punctuateInterval()).plusMinutes(1));

        assertThat(driver.commandOutcome(id)).isNull();
    }

    @Test
    void shouldApplyPlanChangeDifferenceToAllowance() {
        driver.request("u1", "r1", "image_generation");

        driver.setPlan("u1", "PRO");

        Account.Pool p = driver.account("u1").pool(AI_CREDITS);
        assertThat(p.limit).isEqualTo(500);
        assertThat(p.balance()).isEqualTo(495);
        assertThat(driver.account("u1").plan).isEqualTo("PRO");
        assertThat(driver.account("u1").pool(GENERATION_CREDITS).limit).isEqualTo(50);

        driver.adjust("u1", AI_CREDITS, -450);
        driver.setPlan("u1", "FREE");

        assertThat(driver.account("u1").pool(AI_CREDITS).limit).isEqualTo(100);
        assertThat(driver.balance("u1", AI_CREDITS)).isZero();
        assertThat(driver.ledgerSum("u1", AI_CREDITS)).isZero();
        assertThat(driver.ledger("u1", LedgerKind.PLAN_CHANGED)).extracting(LedgerEntry::getPool, LedgerEntry::getDelta)
                .contains(org.assertj.core.groups.Tuple.tuple(AI_CREDITS, 400L), org.assertj.core.groups.Tuple.tuple(AI_CREDITS, -45L));
    }

    @Test
    void shouldDeadLetterUnknownPlanAndKeepPlan() {
        driver.setPlan("u1", "PLATINUM");

        assertThat(driver.deadLetters()).singleElement()
                .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).contains("unknown plan PLATINUM"));
        assertThat(driver.account("u1")).isNull();
    }

    @Test
    void shouldDeadLetterGarbageBytesOnEveryInputAndKeepRunning() {
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        for (var topic : new String[] {Topics.AI_REQUESTS.name(), Topics.AI_USAGE.name(), Topics.CREDIT_COMMANDS.name()}) {
            driver.pipeRaw(topic, "u1".getBytes(StandardCharsets.UTF_8), garbage);
        }

        var dead = driver.deadLetters();

        assertThat(dead).hasSize(3);
        assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC))
                .containsExactly(Topics.AI_REQUESTS.name(), Topics.AI_USAGE.name(), Topics.CREDIT_COMMANDS.name());
        for (TestRecord<byte[], byte[]> r : dead) {
            assertThat(r.value()).isEqualTo(garbage);
            assertThat(r.key()).isEqualTo("u1".getBytes(StandardCharsets.UTF_8));
            assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).contains("Cannot decode");
            assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
            assertThat(DeadLetters.header(r.headers(), DeadLetters.EXCEPTION)).isNotEmpty();
        }
        assertThat(driver.request("u1", "r1", "image_generation").getApproved()).isTrue();
        assertThat(driver.metrics.registry().get("metering.dlq").counters()).hasSize(3);
    }

    @Test
    void shouldDeadLetterRecordNotKeyedByItsUser() {
        CreditCommand grant = CreditCommand.newBuilder().setCommandId("c1").setUserId("u1").setActor("admin")
                .setIssuedAt(JAN_15).setCommand(SetPlan.newBuilder().setPlan("PRO").build()).build();

        driver.command("someone-else", grant);

        assertThat(driver.deadLetters()).singleElement()
                .satisfies(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.REASON)).contains("is not its user_id"));
    }

    @Test
    void shouldRouteDecisionToRequestedReplyPartition() {
        var partitioner = new MeteringTopology.ReplyPartitioner();
        CreditDecision d = AvroSerdes.creditDecision().decode("t",
                AvroSerdes.creditDecision().encode(driver.request("u1", "r1", "text_generation")));

        assertThat(partitioner.partitions("ai.decisions", "r1", new RoutedDecision(d, 4), 6)).contains(Set.of(4));
        assertThat(partitioner.partitions("ai.decisions", "r1", new RoutedDecision(d, null), 6)).isEqualTo(Optional.empty());
        assertThat(partitioner.partitions("ai.decisions", "r1", new RoutedDecision(d, 9), 6)).isEqualTo(Optional.empty());
    }
}
