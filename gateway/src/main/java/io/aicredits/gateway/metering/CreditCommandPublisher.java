package io.aicredits.gateway.metering;

import io.aicredits.client.CreditCommands;
import io.aicredits.events.CreditCommand;
import io.aicredits.gateway.kafka.KafkaClientProperties;
import io.aicredits.schemas.Topics;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Publishes {@link CreditCommand}s (resets, admin adjustments) keyed by user id, through the client's {@link CreditCommands}. */
public class CreditCommandPublisher implements AutoCloseable {

    private final CreditCommands commands;

    CreditCommandPublisher(KafkaClientProperties kafka, String instanceId, Duration sendTimeout) {
        this.commands = CreditCommands.start(MeteringConfig.clientConfig(kafka)
                .instanceId(instanceId).sendTimeout(sendTimeout).build(), Topics.CREDIT_COMMANDS);
    }

    /** Completes when the broker has the command. */
    public Mono<Void> publish(CreditCommand command) {
        // Leave the producer's thread at once.
        return Mono.fromFuture(() -> commands.publish(command)).publishOn(Schedulers.parallel());
    }

    @Override
    public void close() {
        commands.close();
    }
}
