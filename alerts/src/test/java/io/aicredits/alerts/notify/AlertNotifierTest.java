package io.aicredits.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aicredits.events.AlertKind;
import io.aicredits.events.AlertRaised;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.schemas.DeadLetters;
import io.aicredits.schemas.Topic;
import io.aicredits.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A channel that refuses one alert for good must not block the alerts after it. */
class AlertNotifierTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static AlertRaised alert(String id) {
        return AlertRaised.newBuilder().setAlertId(id).setKind(AlertKind.LOW_CREDITS).setSubject("u1").setPool("ai_credits")
                .setPeriod("2025-01").setThresholdPercent(10).setAmount(9).setLimit(100).setMessage("Low credits: " + id)
                .setRaisedAt(Instant.parse("2025-01-20T10:00:00Z")).build();
    }

    @Test
    void shouldRecordAPermanentlyRefusedAlertAsFailedAfterBoundedAttemptsAndDeliverTheNext() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Topic<String, AlertRaised> alerts = Topics.AI_ALERTS.withName("ai.alerts." + suffix);
        String deadLetterTopic = "metering.dlq." + suffix;
        broker.createTopic(alerts, 1);
        broker.createTopic(Topics.DEAD_LETTERS.withName(deadLetterTopic), 1);
        // Given a channel that answers 403 to one alert, every time, and takes the others
        List<String> delivered = new CopyOnWriteArrayList<>();
        List<String> attempts = new CopyOnWriteArrayList<>();
        NotificationChannel picky = new NotificationChannel() {
            @Override
            public String name() {
                return "webhook";
            }

            @Override
            public void send(String id, String text, Map<String, Object> payload) {
                attempts.add(id);
                if (id.equals("refused")) {
                    throw new DeliveryException("webhook answered 403: forbidden", null);
                }
                delivered.add(id);
            }
        };
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (String id : List.of("refused", "next")) {
                producer.send(new ProducerRecord<>(alerts.name(), id,
                        alerts.valueSerde().serializer().serialize(alerts.name(), alert(id)))).get();
            }
        }

        // When the notifier runs with 3 attempts per alert
        try (AlertNotifier notifier = new AlertNotifier(broker.bootstrapServers(), "notifier-" + suffix, alerts.name(),
                List.of(picky), Duration.ofMillis(50), 3, deadLetterTopic)) {

            // Then the next alert is delivered, the refused one was tried exactly 3 times
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(delivered).containsExactly("next"));
            assertThat(attempts).containsExactly("refused", "refused", "refused", "next");
        }
        // and it is recorded as failed on the dead-letter topic with the reason
        List<ConsumerRecord<String, byte[]>> dead = readAll(deadLetterTopic);
        assertThat(dead).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("refused");
            assertThat(DeadLetters.header(record.headers(), DeadLetters.REASON))
                    .isEqualTo("not delivered after 3 attempts: webhook: webhook answered 403: forbidden");
            assertThat(DeadLetters.header(record.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(alerts.name());
            assertThat(DeadLetters.header(record.headers(), DeadLetters.FAILED_BY)).isEqualTo("alerts-notifier");
            assertThat(alerts.valueSerde().deserializer().deserialize(alerts.name(), record.value()).getMessage())
                    .isEqualTo("Low credits: refused");
        });
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });
        }
        return records;
    }
}
