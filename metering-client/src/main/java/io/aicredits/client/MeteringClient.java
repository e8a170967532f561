package io.aicredits.client;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.UsageEvent;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.EventDecodingException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the metering stream for credit decisions and reports usage, over Kafka, without HTTP.
 *
 * <p>Each instance owns one partition of the decisions topic: at start it {@code assign()}s it,
 * seeks to its end and resolves the position (so no reply sent after that can be missed), then
 * reads it with {@code isolation.level=read_committed} on one background thread. Every request
 * carries that partition in {@code reply_partition}; replies are matched to waiting futures by
 * {@code request_id}, and replies nobody waits for (another instance on the same partition, a
 * request that already timed out) are ignored.
 *
 * <p>The producer is idempotent with {@code acks=all}. Futures complete on the client's own
 * threads: callers should not block inside their continuations.
 *
 * <pre>{@code
 * try (MeteringClient client = MeteringClient.start(MeteringClientConfig.builder("broker:9092").build())) {
 *     CreditDecision decision = client.decide(request).join();
 *     if (decision.getApproved()) {
 *         // call the AI provider, then:
 *         client.reportUsage(usage).join();
 *     }
 * }
 * }</pre>
 */
public final class MeteringClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MeteringClient.class);

    private final MeteringClientConfig config;
    private final AvroSerde<AiRequest> requestSerde = AvroSerdes.aiRequest();
    private final AvroSerde<CreditDecision> decisionSerde = AvroSerdes.creditDecision();
    private final AvroSerde<UsageEvent> usageSerde = AvroSerdes.usageEvent();
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicPartition replyPartition;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;

    private record Pending(CompletableFuture<CreditDecision> future, AtomicBoolean acknowledged) {
    }

    private MeteringClient(MeteringClientConfig config) {
        this.config = config;
        this.producer = new KafkaProducer<>(producerProperties(config), new StringSerializer(), new ByteArraySerializer());
        KafkaConsumer<String, byte[]> createdConsumer = null;
        try {
            createdConsumer = new KafkaConsumer<>(consumerProperties(config), new StringDeserializer(), new ByteArrayDeserializer());
            this.consumer = createdConsumer;
            this.replyPartition = claimReplyPartition();
            // Fetch the requests topic's metadata now, so the first send does not block on it.
            producer.partitionsFor(config.requests().name());
        } catch (KafkaException e) {
            closeQuietly(createdConsumer);
            producer.close(Duration.ZERO);
            throw new MeteringUnavailableException("Cannot start the metering client: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(createdConsumer);
            producer.close(Duration.ZERO);
            throw e;
        }
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "metering-client-timer-" + config.instanceId());
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.poller = new Thread(this::pollReplies, "metering-client-replies-" + config.instanceId());
        poller.setDaemon(true);
        poller.start();
        log.info("Metering client {} reads decisions from {}", config.instanceId(), replyPartition);
    }

    /**
     * Starts a client: claims its reply partition and positions it at the end before returning.
     *
     * @throws MeteringUnavailableException when the broker or the topics cannot be reached within the send timeout
     */
    public static MeteringClient start(MeteringClientConfig config) {
        return new MeteringClient(config);
    }

    /** The partition of the decisions topic this instance reads. */
    public int replyPartition() {
        return replyPartition.partition();
    }

    /**
     * Sends a request and returns the future of its decision. The request is sent with this
     * instance's reply partition. A request id that is already waiting shares that wait.
     *
     * <p>The future fails with {@link DecisionTimeoutException} when no decision arrives within
     * the decision timeout, and with {@link MeteringUnavailableException} when the broker did not
     * take the request.
     */
    public CompletableFuture<CreditDecision> decide(AiRequest request) {
        if (!running.get()) {
            return CompletableFuture.failedFuture(new MeteringUnavailableException("Metering client is closed", null));
        }
        String requestId = request.getRequestId();
        Pending mine = new Pending(new CompletableFuture<>(), new AtomicBoolean(false));
        Pending existing = pending.putIfAbsent(requestId, mine);
        if (existing != null) {
            return existing.future().copy();
        }
        AiRequest routed = AiRequest.newBuilder(request).setReplyPartition(replyPartition.partition()).build();
        ScheduledFuture<?> timeout = timer.schedule(() -> expire(requestId, mine),
                config.decisionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        mine.future().whenComplete((decision, error) -> timeout.cancel(false));
        try {
            producer.send(new ProducerRecord<>(config.requests().name(), routed.getUserId(), requestSerde.encode(routed)),
                    (metadata, error) -> {
                        if (error == null) {
                            mine.acknowledged().set(true);
                        } else if (pending.remove(requestId, mine)) {
                            mine.future().completeExceptionally(new MeteringUnavailableException(
                                    "Broker did not accept request " + requestId + ": " + error.getMessage(), error));
                        }
                    });
        } catch (KafkaException e) {
            pending.remove(requestId, mine);
            mine.future().completeExceptionally(new MeteringUnavailableException(
                    "Cannot send request " + requestId + ": " + e.getMessage(), e));
        }
        return mine.future().copy();
    }

    /** Publishes what a call used; completes when the broker has acknowledged it (acks=all). */
    public CompletableFuture<Void> reportUsage(UsageEvent usage) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(config.usage().name(), usage.getUserId(), usageSerde.encode(usage)),
                    (metadata, error) -> {
                        if (error == null) {
                            result.complete(null);
                        } else {
                            result.completeExceptionally(new MeteringUnavailableException(
                                    "Broker did not accept usage " + usage.getId() + ": " + error.getMessage(), error));
                        }
                    });
        } catch (KafkaException e) {
            result.completeExceptionally(new MeteringUnavailableException(
                    "Cannot send usage " + usage.getId() + ": " + e.getMessage(), e));
        }
        return result;
    }

    /** Number of requests waiting for a decision. */
    public int pendingDecisions() {
        return pending.size();
    }

    private void expire(String requestId, Pending waiting) {
        if (!pending.remove(requestId, waiting)) {
            return;
        }
        if (waiting.acknowledged().get()) {
            waiting.future().completeExceptionally(new DecisionTimeoutException(requestId, config.decisionTimeout()));
        } else {
            waiting.future().completeExceptionally(new MeteringUnavailableException(
                    "Broker did not acknowledge request " + requestId + " within "
                            + config.decisionTimeout().toMillis() + " ms", null));
        }
    }

    private TopicPartition claimReplyPartition() {
        String topic = config.decisions().name();
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, config.sendTimeout());
        if (partitions == null || partitions.isEmpty()) {
            throw new MeteringUnavailableException("Decisions topic " + topic + " does not exist", null);
        }
        int partition = config.replyPartition().orElse(Math.floorMod(config.instanceId().hashCode(), partitions.size()));
        if (partition >= partitions.size()) {
            throw new IllegalArgumentException("Reply partition " + partition + " does not exist: "
                    + topic + " has " + partitions.size() + " partitions");
        }
        TopicPartition claimed = new TopicPartition(topic, partition);
        consumer.assign(List.of(claimed));
        consumer.seekToEnd(List.of(claimed));
        // position() resolves the lazy seek now: replies written after this point are read.
        consumer.position(claimed, config.sendTimeout());
        return claimed;
    }

    private void pollReplies() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    deliver(record);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("Metering client {} stopped reading decisions", config.instanceId(), e);
            running.set(false);
            failPending("Metering client stopped reading decisions: " + e.getMessage(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void deliver(ConsumerRecord<String, byte[]> record) {
        CreditDecision decision;
        try {
            decision = decisionSerde.decode(record.topic(), record.value());
        } catch (EventDecodingException e) {
            log.warn("Ignoring undecodable decision at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        if (decision == null) {
            return;
        }
        Pending waiting = pending.remove(decision.getRequestId());
        if (waiting != null) {
            waiting.future().complete(decision);
        }
    }

    private void failPending(String message, Throwable cause) {
        for (String requestId : List.copyOf(pending.keySet())) {
            Pending waiting = pending.remove(requestId);
            if (waiting != null) {
                waiting.future().completeExceptionally(new MeteringUnavailableException(message, cause));
            }
        }
    }

    @Override
    public void close() {
        if (running.getAndSet(false)) {
            consumer.wakeup();
        }
        try {
            poller.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        producer.close(Duration.ofSeconds(5));
        failPending("Metering client is closed", null);
    }

    private static void closeQuietly(KafkaConsumer<?, ?> consumer) {
        if (consumer != null) {
            consumer.close(Duration.ZERO);
        }
    }

    /** Idempotent, acks=all, every wait bounded by the send timeout; shared with {@link CreditCommands}. */
    static Map<String, Object> producerProperties(MeteringClientConfig config) {
        long sendMs = config.sendTimeout().toMillis();
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, config.instanceId() + "-producer");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendMs);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(500, sendMs / 2));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) sendMs);
        props.putAll(config.kafkaOverrides());
        return props;
    }

    private static Map<String, Object> consumerProperties(MeteringClientConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.instanceId() + "-replies");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.sendTimeout().toMillis());
        props.putAll(config.kafkaOverrides());
        return props;
    }
}
