package io.aicredits.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.infra.ChildJvm;
import io.aicredits.schemas.Topics;
import io.aicredits.stream.StreamChildMain;
import io.aicredits.stream.testing.BrokerPerClass;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deadline rule end to end: the stream (a child JVM) is SIGKILLed while one user's requests
 * are in flight through a real {@link MeteringClient}, and restarted. Every request the client
 * gave up on releases its attempt or is answered EXPIRED, so after the restart the user has paid
 * exactly for the approvals the client received and settled, and nothing stays held.
 */
class AbandonedRequestsBrokerTest {

    private static final String USER = "abandoning-user";
    private static final String POOL = "ai_credits";
    private static final long LIMIT = 100;
    private static final int IN_FLIGHT = 60;
    private static final Set<LedgerKind> HOLD_CLOSED = Set.of(LedgerKind.HOLD_SETTLED, LedgerKind.HOLD_RELEASED,
            LedgerKind.HOLD_EXPIRED);

    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass(3);

    @TempDir
    static Path dir;

    @Test
    void shouldKeepNoCreditsForRequestsAbandonedWhileTheStreamWasDown() throws Exception {
        List<String> args = List.of(kafka.broker().bootstrapServers(), "abandoned-test", dir.resolve("state").toString());
        Calls calls;
        try (MeteringClient client = MeteringClient.start(MeteringClientConfig.builder(kafka.broker().bootstrapServers())
                .instanceId("abandoning-client").replyPartition(0).decisionTimeout(Duration.ofSeconds(2)).build())) {
            calls = new Calls(client);
            ChildJvm first = ChildJvm.start("stream-1", StreamChildMain.class.getName(), args, Map.of(), dir.resolve("stream-1.log"));
            try {
                // Given the stream answers this user
                await().atMost(Duration.ofSeconds(90)).until(() -> calls.call("warm-up-" + UUID.randomUUID()).join());

                // When the user's requests are in flight and the stream dies without any shutdown
                int approvedBefore = calls.settled.get();
                for (int i = 0; i < IN_FLIGHT; i++) {
                    calls.call("gen-" + i);
                    // Killed once some approvals came back, and in any case with two thirds still to send.
                    if ((calls.settled.get() >= approvedBefore + 10 || i == IN_FLIGHT / 3) && first.isAlive()) {
                        first.kill();
                    }
                    Thread.sleep(25);
                }
            } finally {
                first.close();
            }
            // Every wait ends by its deadline; settles and releases are acknowledged by then.
            calls.awaitAll();
        }
        assertThat(calls.timedOut.get()).as("requests the client gave up on").isPositive();
        assertThat(calls.settled.get()).as("approvals the client received and settled").isPositive();

        // Then, within 30 s of the restart, the user paid for exactly those, and nothing is held
        ChildJvm second = ChildJvm.start("stream-2", StreamChildMain.class.getName(), args, Map.of(), dir.resolve("stream-2.log"));
        try (CommittedReader<LedgerEntry> ledger = new CommittedReader<>(kafka.broker(), Topics.CREDIT_LEDGER);
             CommittedReader<CreditDecision> decisions = new CommittedReader<>(kafka.broker(), Topics.AI_DECISIONS)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                List<LedgerEntry> entries = ledger.poll().stream().filter(e -> e.getUserId().equals(USER)).toList();
                assertThat(balance(entries)).as("balance").isEqualTo(LIMIT - calls.settled.get());
                assertThat(openHolds(entries)).as("open holds").isZero();
                // The requests the dead stream left unread were answered EXPIRED when read after it restarted.
                assertThat(decisions.poll()).filteredOn(d -> d.getUserId().equals(USER))
                        .anyMatch(d -> d.getReason() == DecisionReason.EXPIRED);
            });
        } finally {
            second.stop();
            second.close();
        }
    }

    private static long balance(List<LedgerEntry> entries) {
        return entries.stream().filter(e -> e.getPool().equals(POOL)).mapToLong(LedgerEntry::getDelta).sum();
    }

    private static long openHolds(List<LedgerEntry> entries) {
        return entries.stream().filter(e -> e.getKind() == LedgerKind.HOLD_PLACED).count()
                - entries.stream().filter(e -> HOLD_CLOSED.contains(e.getKind())).count();
    }

    /** One caller's requests as the gateway makes them: decide, and settle what was approved. */
    private static final class Calls {
        private final MeteringClient client;
        private final List<CompletableFuture<Boolean>> all = new ArrayList<>();
        final AtomicInteger settled = new AtomicInteger();
        final AtomicInteger timedOut = new AtomicInteger();

        Calls(MeteringClient client) {
            this.client = client;
        }

        /** Completes with true when the request was approved and its usage settled. */
        CompletableFuture<Boolean> call(String requestId) {
            AiRequest request = AiRequest.newBuilder().setRequestId(requestId).setUserId(USER)
                    .setOperationType("text_generation").setModel("gpt-4o-mini").setRequestedAt(Instant.now()).build();
            CompletableFuture<Boolean> done = client.decide(request).handle((decision, error) -> decision)
                    .thenCompose(decision -> decision == null ? timedOut() : settle(decision));
            synchronized (all) {
                all.add(done);
            }
            return done;
        }

        private CompletableFuture<Boolean> timedOut() {
            timedOut.incrementAndGet();
            return CompletableFuture.completedFuture(false);
        }

        private CompletableFuture<Boolean> settle(CreditDecision decision) {
            if (!decision.getApproved() || decision.getDuplicate()) {
                return CompletableFuture.completedFuture(false);
            }
            UsageEvent usage = UsageEvent.newBuilder().setId("usage-" + decision.getRequestId())
                    .setRequestId(decision.getRequestId()).setAttemptId(decision.getAttemptId()).setUserId(USER)
                    .setModel("gpt-4o-mini").setOperationType("text_generation").setStatus(UsageStatus.SUCCEEDED)
                    .setTokensInput(10).setTokensOutput(20).setCreatedAt(Instant.now()).build();
            return client.reportUsage(usage).thenApply(ok -> {
                settled.incrementAndGet();
                return true;
            });
        }

        void awaitAll() {
            List<CompletableFuture<Boolean>> calls;
            synchronized (all) {
                calls = List.copyOf(all);
            }
            try {
                CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                throw new AssertionError("a settle was not acknowledged", e);
            }
        }
    }
}
