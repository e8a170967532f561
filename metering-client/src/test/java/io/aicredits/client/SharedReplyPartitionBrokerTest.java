package io.aicredits.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.schemas.Topics;
import io.aicredits.stream.MeteringSettings;
import io.aicredits.stream.MeteringStreamRuntime;
import io.aicredits.stream.StreamChildMain;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attempt rule end to end, with the real stream: two clients reading the same reply partition
 * send the same request id at the same time. Each is completed only by the decision for its own
 * attempt, so exactly one is approved as the original and the other learns it is a duplicate (the
 * gateway calls no provider for it); the user is charged once.
 */
class SharedReplyPartitionBrokerTest {

    private static final String POOL = "ai_credits";

    private static KafkaBroker broker;
    private static MeteringStreamRuntime stream;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start();
        broker.createAllTopics(3);
        stream = MeteringStreamRuntime.start(StreamChildMain.properties(broker.bootstrapServers(), "shared-reply-test",
                dir.resolve("state")), MeteringSettings.defaults());
    }

    @AfterAll
    static void stop() {
        if (stream != null) {
            stream.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldApproveOneOfTwoInstancesSendingTheSameRequestIdAndChargeOnce() throws Exception {
        // Given two gateway instances whose reply partitions coincide
        try (MeteringClient first = client("instance-a");
             MeteringClient second = client("instance-b");
             CommittedReader<LedgerEntry> ledger = new CommittedReader<>(broker, Topics.CREDIT_LEDGER)) {
            for (int round = 0; round < 5; round++) {
                String user = "shared-user-" + round;
                AiRequest request = AiRequest.newBuilder().setRequestId("same-key-" + round).setUserId(user)
                        .setOperationType("text_generation").setModel("gpt-4o-mini").setRequestedAt(Instant.now()).build();

                // When both send the same request id at once
                CompletableFuture<CreditDecision> fromFirst = first.decide(request);
                CompletableFuture<CreditDecision> fromSecond = second.decide(request);
                List<CreditDecision> decisions = List.of(fromFirst.get(), fromSecond.get());

                // Then one is the approval, the other a duplicate, each answering its own attempt
                assertThat(decisions).as("round %d", round).allMatch(CreditDecision::getApproved);
                assertThat(decisions).extracting(CreditDecision::getDuplicate).containsExactlyInAnyOrder(false, true);
                assertThat(decisions).extracting(CreditDecision::getAttemptId).doesNotContainNull().doesNotHaveDuplicates();
                CreditDecision original = decisions.stream().filter(d -> !d.getDuplicate()).findFirst().orElseThrow();
                CreditDecision duplicate = decisions.stream().filter(CreditDecision::getDuplicate).findFirst().orElseThrow();
                MeteringClient winner = original == decisions.get(0) ? first : second;
                MeteringClient loser = winner == first ? second : first;

                // And a usage of the duplicate's attempt does not touch the original's hold; the original settles once
                loser.reportUsage(usage(duplicate, UsageStatus.FAILED)).join();
                winner.reportUsage(usage(original, UsageStatus.SUCCEEDED)).join();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    List<LedgerEntry> entries = ledger.poll().stream().filter(e -> e.getUserId().equals(user)).toList();
                    assertThat(entries).filteredOn(e -> e.getKind() == LedgerKind.HOLD_SETTLED).hasSize(1);
                    assertThat(entries).filteredOn(e -> e.getKind() == LedgerKind.HOLD_RELEASED).isEmpty();
                    assertThat(entries.stream().filter(e -> e.getPool().equals(POOL)).mapToLong(LedgerEntry::getDelta).sum())
                            .as("charged once").isEqualTo(99);
                });
            }
        }
    }

    private static MeteringClient client(String instanceId) {
        return MeteringClient.start(MeteringClientConfig.builder(broker.bootstrapServers())
                .instanceId(instanceId + "-" + java.util.UUID.randomUUID()).replyPartition(1)
                .decisionTimeout(Duration.ofSeconds(30)).build());
    }

    private static UsageEvent usage(CreditDecision decision, UsageStatus status) {
        return UsageEvent.newBuilder().setId("usage-" + decision.getAttemptId()).setRequestId(decision.getRequestId())
                .setAttemptId(decision.getAttemptId()).setUserId(decision.getUserId()).setModel("gpt-4o-mini")
                .setOperationType("text_generation").setStatus(status).setCreatedAt(Instant.now()).build();
    }
}
