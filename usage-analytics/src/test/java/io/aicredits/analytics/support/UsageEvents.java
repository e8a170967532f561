package io.aicredits.analytics.support;

import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.schemas.Topic;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Named usage-event fixtures and a producer for them. */
public final class UsageEvents {

    public static UsageEvent event(String id, String user, String model, String operation, long tokensIn,
                                   long tokensOut, long costNanos, Instant createdAt) {
        return UsageEvent.newBuilder()
                .setId(id).setRequestId("req-" + id).setUserId(user).setModel(model).setOperationType(operation)
                .setPool("ai_credits").setStatus(UsageStatus.SUCCEEDED)
                .setTokensInput(tokensIn).setTokensOutput(tokensOut).setImages(0).setAudioSeconds(0)
                .setCostUsdNanos(costNanos).setCreditsCharged(1L).setError(null).setLatencyMs(100)
                .setCreatedAt(createdAt).setMetadata(Map.of("lang", "en"))
                .build();
    }

    /** Event number {@code i} of a generated stream: 7 users, 3 models, 4 operations, one per 60 ms from {@code start}. */
    public static UsageEvent generated(int i, Instant start) {
        String[] models = {"gpt-4o-mini", "gpt-4o", "whisper-1"};
        String[] operations = {"ai_card", "ai_summary", "emotion_analysis", "voice_to_text"};
        return event("gen-" + i, "user-" + (i % 7), models[i % 3], operations[i % 4], 10 + i % 100, 5 + i % 50,
                1_000L + i * 7L, start.plusMillis(60L * i));
    }

    public static KafkaProducer<String, UsageEvent> producer(String bootstrapServers, Topic<String, UsageEvent> topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** Sends events keyed by user id and waits until all are acknowledged. */
    public static void send(KafkaProducer<String, UsageEvent> producer, Topic<String, UsageEvent> topic,
                            Iterable<UsageEvent> events) {
        for (UsageEvent event : events) {
            producer.send(new ProducerRecord<>(topic.name(), event.getUserId(), event));
        }
        producer.flush();
    }

    private UsageEvents() {
    }
}
