package io.aicredits.gateway.kafka;

import io.aicredits.client.MeteringUnavailableException;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * An idempotent, {@code acks=all} producer of encoded records whose send completes a {@link Mono}
 * once the broker has the record; a broker that does not take it within the send timeout →
 * {@link MeteringUnavailableException} (answered 503).
 */
public final class RecordPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    public RecordPublisher(KafkaClientProperties kafka, String clientId, Duration sendTimeout) {
        int sendMs = (int) sendTimeout.toMillis();
        this.producer = new KafkaProducer<>(kafka.clientConfig(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, sendMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(500, sendMs / 2),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, sendMs)),
                new StringSerializer(), new ByteArraySerializer());
    }

    public Mono<Void> publish(String topic, String key, byte[] value) {
        return Mono.<Void>create(sink -> {
            try {
                producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                    if (error == null) {
                        sink.success();
                    } else {
                        sink.error(new MeteringUnavailableException("Broker did not accept " + key + " on " + topic + ": "
                                + error.getMessage(), error));
                    }
                });
            } catch (KafkaException e) {
                sink.error(new MeteringUnavailableException("Cannot send " + key + " to " + topic + ": " + e.getMessage(), e));
            }
        }).publishOn(Schedulers.parallel());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
