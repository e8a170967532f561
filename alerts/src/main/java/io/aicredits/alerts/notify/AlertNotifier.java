package io.aicredits.alerts.notify;

import io.aicredits.events.AlertRaised;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.DeadLetters;
import io.aicredits.schemas.EventDecodingException;
import io.aicredits.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every alert of {@code ai.alerts} (read_committed) to every channel, then commits its
 * offset. A channel that fails is retried (after {@code retryBackoff}) before the next alert of
 * that partition, up to {@code maxAttempts} attempts in all; an alert still refused then is
 * recorded as failed on the dead-letter topic (the alert's bytes, the last channel error as
 * {@code dlq.reason}) and the notifier moves on, so one permanently refused alert cannot block the
 * rest. Delivery is at least once (a crash between sending and committing repeats it), and the
 * payload's {@code alert_id} lets receivers drop repeats.
 */
public final class AlertNotifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertNotifier.class);
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    static final String FAILED_BY = "alerts-notifier";

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<NotificationChannel> channels;
    private final Duration retryBackoff;
    private final int maxAttempts;
    private final String deadLetterTopic;
    private final KafkaProducer<String, byte[]> deadLetters;
    /** Failed attempts of the first undelivered alert of each partition: offset → attempts. */
    private final Map<TopicPartition, long[]> attempts = new HashMap<>();
    private final String topic;
    private final AvroSerde<AlertRaised> serde = AvroSerdes.alertRaised();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public AlertNotifier(String bootstrapServers, String groupId, String topic, List<NotificationChannel> channels,
                         Duration retryBackoff) {
        this(bootstrapServers, groupId, topic, channels, retryBackoff, DEFAULT_MAX_ATTEMPTS, Topics.DEAD_LETTERS.name());
    }

    /**
     * @param maxAttempts     attempts per alert before it is dead-lettered (at least 1)
     * @param deadLetterTopic where an alert no channel attempt delivered is recorded
     */
    public AlertNotifier(String bootstrapServers, String groupId, String topic, List<NotificationChannel> channels,
                         Duration retryBackoff, int maxAttempts, String deadLetterTopic) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), groupId, topic, channels, retryBackoff,
                maxAttempts, deadLetterTopic);
    }

    /**
     * @param kafka client settings of both the consumer and the dead-letter producer: at least
     *              {@code bootstrap.servers}, plus e.g. the security settings
     */
    public AlertNotifier(Map<String, ?> kafka, String groupId, String topic, List<NotificationChannel> channels,
                         Duration retryBackoff, int maxAttempts, String deadLetterTopic) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("alerts.notifier.max-attempts must be at least 1, got " + maxAttempts);
        }
        this.topic = topic;
        this.channels = List.copyOf(channels);
        this.retryBackoff = retryBackoff;
        this.maxAttempts = maxAttempts;
        this.deadLetterTopic = deadLetterTopic;
        this.deadLetters = new KafkaProducer<>(producerConfig(kafka, groupId), new StringSerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(consumerConfig(kafka, groupId), new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "alert-notifier");
        thread.setDaemon(true);
        thread.start();
    }

    /** The dead-letter producer's settings: {@code kafka} with idempotence and {@code acks=all} forced. */
    public static Map<String, Object> producerConfig(Map<String, ?> kafka, String groupId) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, groupId + "-dlq");
        return config;
    }

    /** The consumer's settings: {@code kafka} with the group, manual commits and read_committed forced. */
    public static Map<String, Object> consumerConfig(Map<String, ?> kafka, String groupId) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        return config;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                boolean failed = false;
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                        NotificationChannel.DeliveryException error = deliver(record);
                        if (error != null && !(attemptsExhausted(partition, record) && deadLetter(record, error))) {
                            // Not delivered: this partition starts again from this record (after the backoff).
                            consumer.seek(partition, record.offset());
                            failed = true;
                            break;
                        }
                        attempts.remove(partition);
                        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
                    }
                }
                if (failed) {
                    pause();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                log.error("Alert notifier woken up while running", e);
            }
        } catch (RuntimeException e) {
            log.error("Alert notifier stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
            deadLetters.close(Duration.ofSeconds(2));
        }
    }

    /** Counts a failed attempt at this record; true once it has had {@code maxAttempts}. */
    private boolean attemptsExhausted(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
        long[] seen = attempts.get(partition);
        if (seen == null || seen[0] != record.offset()) {
            seen = new long[] {record.offset(), 0};
            attempts.put(partition, seen);
        }
        return ++seen[1] >= maxAttempts;
    }

    /** Records an alert no attempt delivered; false when even that failed (then it is retried). */
    private boolean deadLetter(ConsumerRecord<String, byte[]> record, NotificationChannel.DeliveryException error) {
        String reason = "not delivered after " + maxAttempts + " attempts: " + error.getMessage();
        Headers headers = DeadLetters.describe(new RecordHeaders(record.headers().toArray()), reason, error,
                record.topic(), record.partition(), record.offset(), FAILED_BY);
        try {
            deadLetters.send(new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers))
                    .get(10, TimeUnit.SECONDS);
            log.error("Alert {} at {}-{}@{} {}; recorded on {} and skipped", record.key(), record.topic(), record.partition(),
                    record.offset(), reason, deadLetterTopic);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return false;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Alert {} could not be recorded on {}; retrying it: {}", record.key(), deadLetterTopic, e.toString());
            return false;
        }
    }

    /** Null when every channel took the alert (or there is nothing to send), else the first refusal. */
    private NotificationChannel.DeliveryException deliver(ConsumerRecord<String, byte[]> record) {
        AlertRaised alert;
        try {
            alert = serde.decode(record.topic(), record.value());
        } catch (EventDecodingException e) {
            log.error("Skipping undecodable alert at {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
            return null;
        }
        if (alert == null) {
            return null;
        }
        Map<String, Object> payload = payload(alert);
        for (NotificationChannel channel : channels) {
            try {
                channel.send(alert.getAlertId(), alert.getMessage(), payload);
            } catch (NotificationChannel.DeliveryException e) {
                log.warn("Alert {} not delivered to {}: {}", alert.getAlertId(), channel.name(), e.getMessage());
                return new NotificationChannel.DeliveryException(channel.name() + ": " + e.getMessage(), e);
            }
        }
        log.info("Alert {} sent to {} channel(s)", alert.getAlertId(), channels.size());
        return null;
    }

    static Map<String, Object> payload(AlertRaised alert) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "alert");
        p.put("alert_id", alert.getAlertId());
        p.put("kind", alert.getKind().name());
        p.put("subject", alert.getSubject());
        p.put("pool", alert.getPool());
        p.put("period", alert.getPeriod());
        p.put("threshold_percent", alert.getThresholdPercent());
        p.put("amount", alert.getAmount());
        p.put("limit", alert.getLimit());
        p.put("message", alert.getMessage());
        p.put("raised_at", alert.getRaisedAt().toString());
        return p;
    }

    private void pause() {
        try {
            Thread.sleep(retryBackoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
