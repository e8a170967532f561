package io.aicredits.alerts.notify;

import io.aicredits.events.AlertRaised;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.EventDecodingException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every alert of {@code ai.alerts} (read_committed) to every channel, then commits its
 * offset. A channel that fails is retried (after {@code retryBackoff}) before the next alert, so
 * nothing is skipped; delivery is at least once (a crash between sending and committing repeats
 * it), and the payload's {@code alert_id} lets receivers drop repeats.
 */
public final class AlertNotifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertNotifier.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<NotificationChannel> channels;
    private final Duration retryBackoff;
    private final String topic;
    private final AvroSerde<AlertRaised> serde = AvroSerdes.alertRaised();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public AlertNotifier(String bootstrapServers, String groupId, String topic, List<NotificationChannel> channels,
                         Duration retryBackoff) {
        this.topic = topic;
        this.channels = List.copyOf(channels);
        this.retryBackoff = retryBackoff;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "alert-notifier");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                boolean failed = false;
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                        if (!deliver(record)) {
                            // Not delivered: this partition starts again from this record (after the backoff).
                            consumer.seek(partition, record.offset());
                            failed = true;
                            break;
                        }
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
        }
    }

    private boolean deliver(ConsumerRecord<String, byte[]> record) {
        AlertRaised alert;
        try {
            alert = serde.decode(record.topic(), record.value());
        } catch (EventDecodingException e) {
            log.error("Skipping undecodable alert at {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
            return true;
        }
        if (alert == null) {
            return true;
        }
        Map<String, Object> payload = payload(alert);
        for (NotificationChannel channel : channels) {
            try {
                channel.send(alert.getAlertId(), alert.getMessage(), payload);
            } catch (NotificationChannel.DeliveryException e) {
                log.warn("Alert {} not delivered to {}: {}; retrying in {}", alert.getAlertId(), channel.name(), e.getMessage(),
                        retryBackoff);
                return false;
            }
        }
        log.info("Alert {} sent to {} channel(s)", alert.getAlertId(), channels.size());
        return true;
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
