package io.aicredits.client;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.EventDecodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * carries that partition in {@code reply_partition}, its own {@code attempt_id} and a
 * {@code deadline}; replies are matched to waiting futures by ({@code request_id},
 * {@code attempt_id}), and replies nobody waits for (another instance on the same partition, an
 * attempt that already timed out) are ignored. An attempt whose wait ends without a decision is
 * released with a FAILED usage, so it never keeps credits (docs/architecture.md, "Deadlines and
 * attempts").
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
public final class MeteringClient implements CreditDecisions, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MeteringClient.class);

    /**
     * The {@code error} of the FAILED usage that releases an attempt whose caller stopped waiting
     * for its decision. It is how such a release reads in {@code ai_usage_logs}: status FAILED,
     * no tokens, no cost, this text.
     */
    public static final String ABANDONED_ATTEMPT_ERROR =
            "abandoned: no credit decision arrived before the deadline; the client released this attempt, nothing was charged";
    /** The model a release names when its request named none. */
    static final String UNSPECIFIED_MODEL = "unspecified";

    private final MeteringClientConfig config;
    private final AvroSerde<AiRequest> requestSerde = AvroSerdes.aiRequest();
    private final AvroSerde<CreditDecision> decisionSerde = AvroSerdes.creditDecision();
    private final AvroSerde<UsageEvent> usageSerde = AvroSerdes.usageEvent();
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicPartition replyPartition;
    private final Map<Attempt, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;

    /** One attempt at a request: what a decision is matched by. */
    private record Attempt(String requestId, String attemptId) {
    }

    /** A caller waiting for the decision of the attempt it sent as {@code request}. */
    private record Pending(AiRequest request, CompletableFuture<CreditDecision> future, AtomicBoolean acknowledged) {
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
     * instance's reply partition, an {@code attempt_id} (a fresh UUID unless the caller set one)
     * and a {@code deadline}: now plus the decision timeout, or the caller's deadline when that is
     * earlier. Only the decision for this attempt completes the future: two calls with the same
     * request id are two attempts with two waits, and the stream answers the later one with
     * {@code duplicate=true}. Calls naming the same attempt id while it is waiting share its wait.
     *
     * <p>The future fails with {@link DecisionTimeoutException} when no decision arrives by the
     * deadline, and with {@link MeteringUnavailableException} when the broker did not take the
     * request. A wait that ends without a decision releases the attempt (see
     * {@link #ABANDONED_ATTEMPT_ERROR}), so the attempt never keeps credits; a deadline already past
     * fails at once and sends nothing.
     */
    @Override
    public CompletableFuture<CreditDecision> decide(AiRequest request) {
        if (!running.get()) {
            return CompletableFuture.failedFuture(new MeteringUnavailableException("Metering client is closed", null));
        }
        Instant now = Instant.now();
        Instant deadline = now.plus(config.decisionTimeout());
        if (request.getDeadline() != null && request.getDeadline().isBefore(deadline)) {
            deadline = request.getDeadline();
        }
        long waitMs = Duration.between(now, deadline).toMillis();
        if (waitMs <= 0) {
            return CompletableFuture.failedFuture(
                    new DecisionTimeoutException(request.getRequestId(), Duration.ofMillis(Math.max(0, waitMs))));
        }
        AiRequest routed = AiRequest.newBuilder(request)
                .setReplyPartition(replyPartition.partition())
                .setAttemptId(request.getAttemptId() == null ? UUID.randomUUID().toString() : request.getAttemptId())
                .setDeadline(deadline)
                .build();
        Attempt attempt = new Attempt(routed.getRequestId(), routed.getAttemptId());
        Pending mine = new Pending(routed, new CompletableFuture<>(), new AtomicBoolean(false));
        Pending existing = pending.putIfAbsent(attempt, mine);
        if (existing != null) {
            return existing.future().copy();
        }
        ScheduledFuture<?> timeout = timer.schedule(() -> expire(attempt, mine, Duration.ofMillis(waitMs)),
                waitMs, TimeUnit.MILLISECONDS);
        mine.future().whenComplete((decision, error) -> timeout.cancel(false));
        String requestId = routed.getRequestId();
        try {
            producer.send(new ProducerRecord<>(config.requests().name(), routed.getUserId(), requestSerde.encode(routed)),
                    (metadata, error) -> {
                        if (error == null) {
                            mine.acknowledged().set(true);
                        } else if (pending.remove(attempt, mine)) {
                            mine.future().completeExceptionally(new MeteringUnavailableException(
                                    "Broker did not accept request " + requestId + ": " + error.getMessage(), error));
                        }
                    });
        } catch (KafkaException e) {
            pending.remove(attempt, mine);
            mine.future().completeExceptionally(new MeteringUnavailableException(
                    "Cannot send request " + requestId + ": " + e.getMessage(), e));
        }
        return mine.future().copy();
    }

    /** Publishes what a call used; completes when the broker has acknowledged it (acks=all). */
    @Override
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

    private void expire(Attempt attempt, Pending waiting, Duration waited) {
        if (!pending.remove(attempt, waiting)) {
            return;
        }
        // Released first: by the time the caller hears "nothing was charged", the release is on its way.
        release(waiting.request());
        if (waiting.acknowledged().get()) {
            waiting.future().completeExceptionally(new DecisionTimeoutException(attempt.requestId(), waited));
        } else {
            waiting.future().completeExceptionally(new MeteringUnavailableException(
                    "Broker did not acknowledge request " + attempt.requestId() + " within "
                            + waited.toMillis() + " ms", null));
        }
    }

    /**
     * Releases an attempt whose caller stopped waiting: a FAILED usage naming the attempt. The
     * stream releases the attempt's hold if its request was approved meanwhile, or, when the
     * release is read first, answers the request EXPIRED when it comes; either way nothing stays
     * held. Its request is also past its deadline by now. Best effort: when the broker does not
     * take it, the hold (if any) expires after the stream's hold timeout.
     */
    private void release(AiRequest request) {
        UsageEvent release = UsageEvent.newBuilder()
                .setId("release-" + request.getAttemptId())
                .setRequestId(request.getRequestId())
                .setAttemptId(request.getAttemptId())
                .setUserId(request.getUserId())
                .setModel(request.getModel() == null ? UNSPECIFIED_MODEL : request.getModel())
                .setOperationType(request.getOperationType())
                .setPool(request.getPool())
                .setStatus(UsageStatus.FAILED)
                .setError(ABANDONED_ATTEMPT_ERROR)
                .setCreatedAt(Instant.now())
                .setMetadata(request.getMetadata())
                .build();
        reportUsage(release).whenComplete((ok, error) -> {
            if (error != null) {
                log.warn("Release of attempt {} of request {} was not sent; a hold it got expires in the stream: {}",
                        request.getAttemptId(), request.getRequestId(), error.getMessage());
            }
        });
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
        if (decision.getAttemptId() == null) {
            // A stream older than attempts answers by request id only: any attempt of it may take the answer.
            pending.keySet().stream().filter(a -> a.requestId().equals(decision.getRequestId())).findFirst()
                    .ifPresent(attempt -> complete(attempt, decision));
        } else {
            complete(new Attempt(decision.getRequestId(), decision.getAttemptId()), decision);
        }
    }

    private void complete(Attempt attempt, CreditDecision decision) {
        Pending waiting = pending.remove(attempt);
        if (waiting != null) {
            waiting.future().complete(decision);
        }
    }

    private void failPending(String message, Throwable cause) {
        for (Map.Entry<Attempt, Pending> entry : List.copyOf(pending.entrySet())) {
            if (pending.remove(entry.getKey(), entry.getValue())) {
                release(entry.getValue().request());
                entry.getValue().future().completeExceptionally(new MeteringUnavailableException(message, cause));
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
        // Before the producer closes, so the releases of the attempts still waiting are sent.
        failPending("Metering client is closed", null);
        producer.close(Duration.ofSeconds(5));
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
