package io.aicredits.gateway.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The gateway's producers of encoded records (string key, Avro bytes): idempotent with
 * {@code acks=all}, and bounded by the send timeout, so a send the broker does not take in time
 * fails instead of hanging (blocking for metadata, the request and the delivery alike).
 */
public final class IdempotentProducers {

    private IdempotentProducers() {
    }

    public static KafkaProducer<String, byte[]> create(KafkaClientProperties kafka, String clientId, Duration sendTimeout) {
        int sendMs = (int) sendTimeout.toMillis();
        return new KafkaProducer<>(kafka.clientConfig(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, sendMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(500, sendMs / 2),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, sendMs)),
                new StringSerializer(), new ByteArraySerializer());
    }
}
