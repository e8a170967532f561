package io.aicredits.gateway.alerts;

import io.aicredits.gateway.kafka.KafkaClientProperties;
import io.aicredits.events.AlertRaised;
import io.aicredits.gateway.kafka.TopicFollower;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.EventDecodingException;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The most recent alerts of {@code ai.alerts}, for the dashboard: the whole topic read from the
 * beginning by a {@link TopicFollower} (each instance sees every alert), keeping the {@code capacity} newest by {@code raised_at}. An alert id seen again replaces the
 * earlier record (the alerts service raises each id once; a replay must not show it twice).
 */
class AlertsFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertsFeed.class);
    private static final Comparator<AlertRaised> NEWEST_FIRST = Comparator.comparing(AlertRaised::getRaisedAt).reversed()
            .thenComparing(AlertRaised::getAlertId);

    private final TreeSet<AlertRaised> newest = new TreeSet<>(NEWEST_FIRST);
    private final AvroSerde<AlertRaised> serde = AvroSerdes.alertRaised();
    private final int capacity;
    private final TopicFollower follower;

    AlertsFeed(KafkaClientProperties kafka, String topic, String clientId, int capacity) {
        this.capacity = capacity;
        this.follower = new TopicFollower(kafka, topic, clientId, "alerts", this::apply);
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
        follower.close();
    }
}
