package io.aicredits.gateway.metering;

import io.aicredits.client.MeteringUnavailableException;
import io.aicredits.events.CreditCommand;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.Topics;
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

/** Publishes {@link CreditCommand}s (resets, admin adjustments) keyed by user id; idempotent, acks=all. */
public class CreditCommandPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerde<CreditCommand> serde = AvroSerdes.creditCommand();

    CreditCommandPublisher(String bootstrapServers, String instanceId, Duration sendTimeout) {
        int sendMs = (int) sendTimeout.toMillis();
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, instanceId + "-commands",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, sendMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(500, sendMs / 2),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, sendMs),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Completes when the broker has the command. */
    public Mono<Void> publish(CreditCommand command) {
        return Mono.<Void>create(sink -> {
            try {
                producer.send(new ProducerRecord<>(Topics.CREDIT_COMMANDS.name(), command.getUserId(), serde.encode(command)),
                        (metadata, error) -> {
                            if (error == null) {
                                sink.success();
                            } else {
                                sink.error(new MeteringUnavailableException(
                                        "Broker did not accept command " + command.getCommandId() + ": " + error.getMessage(), error));
                            }
                        });
            } catch (KafkaException e) {
                sink.error(new MeteringUnavailableException("Cannot send command " + command.getCommandId() + ": " + e.getMessage(), e));
            }
        }).publishOn(Schedulers.parallel());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
