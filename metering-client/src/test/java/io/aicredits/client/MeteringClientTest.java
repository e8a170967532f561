package io.aicredits.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.infra.FreePorts;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Request/reply and usage reporting against a real broker, with a fake responder in place of the stream. */
class MeteringClientTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
        broker.createTopic(Topics.AI_REQUESTS, 2);
        broker.createTopic(Topics.AI_DECISIONS, 2);
        broker.createTopic(Topics.AI_USAGE, 2);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static MeteringClient client(int replyPartition, Duration timeout) {
        return MeteringClient.start(MeteringClientConfig.builder(broker.bootstrapServers())
                .instanceId("client-test-" + UUID.randomUUID())
                .replyPartition(replyPartition)
                .decisionTimeout(timeout)
                .build());
    }

    private static AiRequest request(String user) {
        return AiRequest.newBuilder()
                .setRequestId("req-" + UUID.randomUUID())
                .setUserId(user)
                .setOperationType("text_generation")
                .setRequestedAt(Instant.now())
                .build();
    }

    @Test
    void shouldCompleteDecisionSentToItsReplyPartition() throws Exception {
        // Given a responder that approves everything and a client reading partition 1
        try (FakeDecisionResponder responder = new FakeDecisionResponder(broker.bootstrapServers(),
                FakeDecisionResponder.approveAll());
             MeteringClient client = client(1, Duration.ofSeconds(20))) {
            AiRequest request = request("alice");

            // When it asks for a decision
            CreditDecision decision = client.decide(request).get();

            // Then the matching decision completes the future and the request named the reply partition
            assertThat(decision.getRequestId()).isEqualTo(request.getRequestId());
            assertThat(decision.getApproved()).isTrue();
            assertThat(responder.received()).anySatisfy(received -> {
                assertThat(received.getRequestId()).isEqualTo(request.getRequestId());
                assertThat(received.getReplyPartition()).isEqualTo(1);
            });
            assertThat(client.pendingDecisions()).isZero();
        }
    }

    @Test
    void shouldIgnoreRepliesForUnknownRequestIds() throws Exception {
        // Given a responder that first answers a request id nobody asked for, with a rejection
        FakeDecisionResponder.Answer noisy = request -> {
            AiRequest stranger = AiRequest.newBuilder(request).setRequestId("someone-else-" + UUID.randomUUID()).build();
            return List.of(FakeDecisionResponder.decision(stranger, false, 5, 3),
                    FakeDecisionResponder.decision(request, true, 1, 42));
        };
        try (FakeDecisionResponder responder = new FakeDecisionResponder(broker.bootstrapServers(), noisy);
             MeteringClient client = client(0, Duration.ofSeconds(20))) {
            AiRequest request = request("bob");

            // When it asks
            CreditDecision decision = client.decide(request).get();

            // Then only its own decision completes the future
            assertThat(decision.getRequestId()).isEqualTo(request.getRequestId());
            assertThat(decision.getBalance()).isEqualTo(42);
            assertThat(decision.getApproved()).isTrue();
        }
    }

    @Test
    void shouldRouteEachInstanceItsOwnDecisions() throws Exception {
        // Given two clients on different reply partitions
        try (FakeDecisionResponder responder = new FakeDecisionResponder(broker.bootstrapServers(),
                request -> List.of(FakeDecisionResponder.decision(request, true, 1, request.getReplyPartition())));
             MeteringClient first = client(0, Duration.ofSeconds(20));
             MeteringClient second = client(1, Duration.ofSeconds(20))) {
            List<CompletableFuture<CreditDecision>> fromFirst = new ArrayList<>();
            List<CompletableFuture<CreditDecision>> fromSecond = new ArrayList<>();

            // When both send several requests concurrently
            for (int i = 0; i < 10; i++) {
                fromFirst.add(first.decide(request("user-" + i)));
                fromSecond.add(second.decide(request("user-" + i)));
            }

            // Then every decision came back through the asking instance's partition
            for (CompletableFuture<CreditDecision> future : fromFirst) {
                assertThat(future.get().getBalance()).isEqualTo(0);
            }
            for (CompletableFuture<CreditDecision> future : fromSecond) {
                assertThat(future.get().getBalance()).isEqualTo(1);
            }
        }
    }

    @Test
    void shouldFailWithTimeoutWhenNoDecisionArrives() throws Exception {
        // Given a responder that never answers
        try (FakeDecisionResponder responder = new FakeDecisionResponder(broker.bootstrapServers(), request -> List.of());
             MeteringClient client = client(0, Duration.ofMillis(1500))) {
            AiRequest request = request("carol");

            // When it asks
            CompletableFuture<CreditDecision> future = client.decide(request);

            // Then the future fails with a timeout naming the request, and nothing stays pending
            assertThatThrownBy(future::join)
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOf(DecisionTimeoutException.class)
                    .hasMessageContaining(request.getRequestId());
            assertThat(client.pendingDecisions()).isZero();
        }
    }

    @Test
    void shouldStampEveryRequestWithAFreshAttemptAndTheDecisionDeadline() throws Exception {
        // Given a responder that approves everything and a client with a 20 s decision timeout
        try (FakeDecisionResponder responder = new FakeDecisionResponder(broker.bootstrapServers(),
                FakeDecisionResponder.approveAll());
             MeteringClient client = client(0, Duration.ofSeconds(20))) {
            AiRequest first = request("erin");
            AiRequest second = request("erin");
            Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

            // When it asks twice
            CreditDecision firstDecision = client.decide(first).get();
            CreditDecision secondDecision = client.decide(second).get();

            // Then each request carried its own attempt and a deadline one decision timeout ahead
            AiRequest sent = receivedOnce(responder, first.getRequestId());
            assertThat(sent.getAttemptId()).isNotBlank();
            assertThat(sent.getDeadline()).isBetween(before.plusSeconds(20), Instant.now().plusSeconds(20));
            assertThat(firstDecision.getAttemptId()).isEqualTo(sent.getAttemptId());
            assertThat(secondDecision.getAttemptId()).isEqualTo(receivedOnce(responder, second.getRequestId()).getAttemptId())
                    .isNotEqualTo(sent.getAttemptId());
        }
    }

    @Test
    void shouldKeepTheCallersEarlierDeadlineAndAttempt() throws Exception {
        try (FakeDecisionResponder responder = new FakeDecisionResponder(broker.bootstrapServers(),
                FakeDecisionResponder.approveAll());
             MeteringClient client = client(0, Duration.ofSeconds(20))) {
            Instant deadline = Instant.now().plusSeconds(10).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            AiRequest request = AiRequest.newBuilder(request("frank")).setAttemptId("mine").setDeadline(deadline).build();

            CreditDecision decision = client.decide(request).get();

            AiRequest sent = receivedOnce(responder, request.getRequestId());
            assertThat(sent.getDeadline()).isEqualTo(deadline);
            assertThat(sent.getAttemptId()).isEqualTo("mine");
            assertThat(decision.getAttemptId()).isEqualTo("mine");
        }
    }

    @Test
    void shouldFailAtOnceAndSendNothingWhenTheDeadlineHasPassed() {
        try (MeteringClient client = client(0, Duration.ofSeconds(20))) {
            AiRequest late = AiRequest.newBuilder(request("gina")).setDeadline(Instant.now().minusSeconds(1)).build();

            assertThatThrownBy(() -> client.decide(late).join())
                    .cause().isInstanceOf(DecisionTimeoutException.class);
            assertThat(client.pendingDecisions()).isZero();
        }
    }

    @Test
    void shouldNotCompleteAnAttemptWithTheDecisionOfAnotherAttempt() throws Exception {
        // Given a responder that first approves another attempt of the same request id, then rejects this one
        FakeDecisionResponder.Answer otherAttemptFirst = request -> List.of(
                FakeDecisionResponder.decision(AiRequest.newBuilder(request).setAttemptId("someone-elses").build(), true, 1, 99),
                FakeDecisionResponder.decision(request, false, 1, 0));
        try (FakeDecisionResponder responder = new FakeDecisionResponder(broker.bootstrapServers(), otherAttemptFirst);
             MeteringClient client = client(1, Duration.ofSeconds(20))) {

            // When it asks
            CreditDecision decision = client.decide(request("hank")).get();

            // Then only the decision of its own attempt answers it
            assertThat(decision.getApproved()).isFalse();
            assertThat(decision.getAttemptId()).isNotEqualTo("someone-elses");
        }
    }

    @Test
    void shouldWaitSeparatelyForConcurrentCallsWithTheSameRequestId() throws Exception {
        // Given a responder that approves the first attempt of a request id and answers later ones as duplicates
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        FakeDecisionResponder.Answer dedup = request -> List.of(CreditDecision.newBuilder(
                FakeDecisionResponder.decision(request, true, 1, 99)).setDuplicate(!seen.add(request.getRequestId())).build());
        try (FakeDecisionResponder responder = new FakeDecisionResponder(broker.bootstrapServers(), dedup);
             MeteringClient client = client(0, Duration.ofSeconds(20))) {
            AiRequest request = request("ivan");

            // When two calls send the same request id at once
            CompletableFuture<CreditDecision> first = client.decide(request);
            CompletableFuture<CreditDecision> second = client.decide(request);

            // Then each is its own attempt, answered by its own decision: one original, one duplicate
            List<CreditDecision> decisions = List.of(first.get(), second.get());
            assertThat(decisions).extracting(CreditDecision::getAttemptId).doesNotHaveDuplicates();
            assertThat(decisions).extracting(CreditDecision::getDuplicate).containsExactlyInAnyOrder(false, true);
            assertThat(responder.received()).filteredOn(r -> r.getRequestId().equals(request.getRequestId())).hasSize(2);
        }
    }

    @Test
    void shouldReleaseTheAttemptWhenNoDecisionArrivesByTheDeadline() throws Exception {
        // Given a responder that never answers
        try (FakeDecisionResponder responder = new FakeDecisionResponder(broker.bootstrapServers(), request -> List.of());
             MeteringClient client = client(0, Duration.ofMillis(1500));
             KafkaConsumer<String, UsageEvent> reader = usageReader()) {
            AiRequest request = AiRequest.newBuilder(request("judy")).setModel("gpt-4o-mini").build();

            // When its wait ends
            assertThatThrownBy(() -> client.decide(request).join()).cause().isInstanceOf(DecisionTimeoutException.class);

            // Then a FAILED usage naming the attempt releases it
            String attemptId = receivedOnce(responder, request.getRequestId()).getAttemptId();
            List<UsageEvent> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                assertThat(seen).filteredOn(u -> u.getRequestId().equals(request.getRequestId())).singleElement()
                        .satisfies(u -> {
                            assertThat(u.getAttemptId()).isEqualTo(attemptId);
                            assertThat(u.getStatus()).isEqualTo(UsageStatus.FAILED);
                            assertThat(u.getError()).isEqualTo(MeteringClient.ABANDONED_ATTEMPT_ERROR);
                            assertThat(u.getUserId()).isEqualTo("judy");
                            assertThat(u.getModel()).isEqualTo("gpt-4o-mini");
                            assertThat(u.getCostUsdNanos()).isZero();
                        });
            });
        }
    }

    private static AiRequest receivedOnce(FakeDecisionResponder responder, String requestId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> responder.received().stream()
                .anyMatch(r -> r.getRequestId().equals(requestId)));
        return responder.received().stream().filter(r -> r.getRequestId().equals(requestId)).findFirst().orElseThrow();
    }

    private static KafkaConsumer<String, UsageEvent> usageReader() {
        KafkaConsumer<String, UsageEvent> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "usage-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), AvroSerdes.usageEvent());
        reader.subscribe(List.of(Topics.AI_USAGE.name()));
        return reader;
    }

    @Test
    void shouldPublishUsageKeyedByUser() {
        // Given a client and a usage event
        UsageEvent usage = UsageEvent.newBuilder()
                .setId("usage-" + UUID.randomUUID())
                .setRequestId("req-1")
                .setUserId("dave")
                .setModel("gpt-4o-mini")
                .setOperationType("text_generation")
                .setStatus(UsageStatus.SUCCEEDED)
                .setTokensInput(12)
                .setTokensOutput(30)
                .setCostUsdNanos(25_200)
                .setCreatedAt(Instant.now())
                .build();
        try (MeteringClient client = client(0, Duration.ofSeconds(5));
             KafkaConsumer<String, UsageEvent> reader = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, "usage-reader-" + UUID.randomUUID(),
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                     new StringDeserializer(), AvroSerdes.usageEvent())) {

            // When it reports usage
            client.reportUsage(usage).join();

            // Then the event is on ai.usage keyed by the user id
            reader.subscribe(List.of(Topics.AI_USAGE.name()));
            List<ConsumerRecord<String, UsageEvent>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(seen::add);
                assertThat(seen).anySatisfy(record -> {
                    assertThat(record.key()).isEqualTo("dave");
                    assertThat(record.value()).isEqualTo(usage);
                });
            });
        }
    }

    @Test
    void shouldFailToStartWhenNoBrokerListens() {
        // Given a bootstrap address where nothing listens
        MeteringClientConfig config = MeteringClientConfig.builder("127.0.0.1:" + FreePorts.next())
                .sendTimeout(Duration.ofSeconds(2))
                .build();

        // When / Then starting fails with a clear outage error
        assertThatThrownBy(() -> MeteringClient.start(config))
                .isInstanceOf(MeteringUnavailableException.class)
                .hasMessageContaining("Cannot start the metering client");
    }
}
