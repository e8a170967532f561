package io.aicredits.gateway.alerts;

import io.aicredits.events.AlertRaised;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.EventDecodingException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The most recent alerts of {@code ai.alerts}, for the dashboard: every partition read from the
 * beginning by a consumer without a group (each instance sees every alert) on its own thread,
 * keeping the {@code capacity} newest by {@code raised_at}. An alert id seen again replaces the
 * earlier record (the alerts service raises each id once; a replay must not show it twice).
 */
class AlertsFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertsFeed.class);
    private static final Comparator<AlertRaised> NEWEST_FIRST = Comparator.comparing(AlertRaised::getRaisedAt).reversed()
            .thenComparing(AlertRaised::getAlertId);

    private final TreeSet<AlertRaised> newest = new TreeSet<>(NEWEST_FIRST);
    private final AvroSerde<AlertRaised> serde = AvroSerdes.alertRaised();
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final int capacity;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    AlertsFeed(String bootstrapServers, String topic, String clientId, int capacity) {
        this.topic = topic;
        this.capacity = capacity;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-alerts-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "alerts-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("Alerts feed stopped; the dashboard shows the alerts read so far", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** The topic's partitions, retried until the topic exists (the alerts service may create it later). */
    private List<TopicPartition> awaitPartitions() {
        while (running.get()) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
                log.warn("Alerts topic {} not found yet; retrying", topic);
            } catch (KafkaException e) {
                if (!running.get()) {
                    break;
                }
                log.warn("Alerts topic {} not reachable yet: {}", topic, e.getMessage());
            }
        }
        return List.of();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            AlertRaised alert = serde.decode(record.topic(), record.value());
            synchronized (newest) {
                newest.removeIf(seen -> seen.getAlertId().equals(alert.getAlertId()));
                newest.add(alert);
                while (newest.size() > capacity) {
                    newest.pollLast();
                }
            }
        } catch (EventDecodingException e) {
            log.error("Ignoring undecodable alert at {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
        }
    }

    /** Up to {@code limit} alerts, newest first. */
    List<AlertRaised> recent(int limit) {
        synchronized (newest) {
            return newest.stream().limit(limit).toList();
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
