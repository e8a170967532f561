package io.aicredits.client;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Test stand-in for the metering stream's request/reply side only: reads ai.requests and writes
 * the decisions chosen by a function to the partition named in {@code reply_partition}. Used for
 * client-only tests of correlation, routing and timeouts; end-to-end tests use the real stream.
 */
final class FakeDecisionResponder implements AutoCloseable {

    /** Decisions the responder writes for one request: usually one, possibly extra noise first. */
    interface Answer extends Function<AiRequest, List<CreditDecision>> {
    }

    private final KafkaConsumer<String, AiRequest> consumer;
    private final KafkaProducer<String, CreditDecision> producer;
    private final Answer answer;
    private final List<AiRequest> received = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    FakeDecisionResponder(String bootstrapServers, Answer answer) {
        this.answer = answer;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "fake-responder-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), AvroSerdes.aiRequest());
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), AvroSerdes.creditDecision());
        consumer.subscribe(List.of(Topics.AI_REQUESTS.name()));
        this.thread = new Thread(this::run, "fake-decision-responder");
        thread.setDaemon(true);
        thread.start();
    }

    static Answer approveAll() {
        return request -> List.of(decision(request, true, 1, 99));
    }

    static CreditDecision decision(AiRequest request, boolean approved, long price, long balance) {
        Instant now = Instant.now();
        return CreditDecision.newBuilder()
                .setRequestId(request.getRequestId())
                .setAttemptId(request.getAttemptId())
                .setUserId(request.getUserId())
                .setOperationType(request.getOperationType())
                .setPool("ai_credits")
                .setApproved(approved)
                .setReason(approved ? DecisionReason.APPROVED : DecisionReason.INSUFFICIENT_CREDITS)
                .setCreditsRequired(price)
                .setCreditsHeld(approved ? price : 0)
                .setBalance(balance)
                .setCreditsLimit(100)
                .setPeriodStart(Instant.parse("2025-01-01T00:00:00Z"))
                .setNextReset(Instant.parse("2025-02-01T00:00:00Z"))
                .setDecidedAt(now)
                .build();
    }

    List<AiRequest> received() {
        return received;
    }

    private void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, AiRequest> record : consumer.poll(Duration.ofMillis(200))) {
                    AiRequest request = record.value();
                    received.add(request);
                    for (CreditDecision decision : answer.apply(request)) {
                        producer.send(new ProducerRecord<>(Topics.AI_DECISIONS.name(), request.getReplyPartition(),
                                decision.getRequestId(), decision));
                    }
                    producer.flush();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
        producer.close(Duration.ofSeconds(2));
    }
}
