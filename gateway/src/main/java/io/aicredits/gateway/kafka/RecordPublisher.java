package io.aicredits.gateway.kafka;

import io.aicredits.client.MeteringUnavailableException;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * An {@link IdempotentProducers idempotent} producer of encoded records whose send completes a {@link Mono}
 * once the broker has the record; a broker that does not take it within the send timeout →
 * {@link MeteringUnavailableException} (answered 503).
 */
public final class RecordPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    public RecordPublisher(KafkaClientProperties kafka, String clientId, Duration sendTimeout) {
        this.producer = IdempotentProducers.create(kafka, clientId, sendTimeout);
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
