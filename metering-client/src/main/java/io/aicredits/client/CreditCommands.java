package io.aicredits.client;

import io.aicredits.events.CreditCommand;
import io.aicredits.schemas.Topic;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes {@link CreditCommand}s (grants, adjustments, plan changes, resets) to the credit-commands
 * topic, keyed by user id, with the same producer settings as {@link MeteringClient} (idempotent,
 * {@code acks=all}, waits bounded by the send timeout). The stream decides a command id once:
 * applied, or refused with a reason; that {@link CommandOutcome} is final for its dedup window and
 * answered by {@code GET /balances/{userId}/commands/{commandId}}, which a sender polls.
 * Futures complete on the producer's thread: do not block in their continuations.
 */
public final class CreditCommands implements AutoCloseable {

    private final Topic<String, CreditCommand> topic;
    private final Serializer<CreditCommand> serializer;
    private final KafkaProducer<String, byte[]> producer;

    private CreditCommands(MeteringClientConfig config, Topic<String, CreditCommand> topic) {
        this.topic = topic;
        this.serializer = topic.valueSerde().serializer();
        Map<String, Object> props = MeteringClient.producerProperties(config);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, config.instanceId() + "-commands");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** A publisher with {@code config}'s broker, instance id, send timeout and Kafka overrides. */
    public static CreditCommands start(MeteringClientConfig config, Topic<String, CreditCommand> topic) {
        return new CreditCommands(config, topic);
    }

    /** Completes when the broker has the command; fails with {@link MeteringUnavailableException}. */
    public CompletableFuture<Void> publish(CreditCommand command) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic.name(), command.getUserId(), serializer.serialize(topic.name(), command)),
                    (metadata, error) -> {
                        if (error == null) {
                            result.complete(null);
                        } else {
                            result.completeExceptionally(new MeteringUnavailableException(
                                    "Broker did not accept command " + command.getCommandId() + ": " + error.getMessage(), error));
                        }
                    });
        } catch (KafkaException e) {
            result.completeExceptionally(new MeteringUnavailableException(
                    "Cannot send command " + command.getCommandId() + ": " + e.getMessage(), e));
        }
        return result;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
