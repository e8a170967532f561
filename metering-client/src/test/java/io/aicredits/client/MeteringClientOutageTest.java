package io.aicredits.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aicredits.events.AiRequest;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A broker that goes away after the client started: requests fail as an outage, not as a silent hang. */
class MeteringClientOutageTest {

    private KafkaBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldFailAsUnavailableWhenBrokerGoesDown() {
        // Given a started client
        broker = KafkaBroker.start();
        broker.createTopic(Topics.AI_REQUESTS, 1);
        broker.createTopic(Topics.AI_DECISIONS, 1);
        try (MeteringClient client = MeteringClient.start(MeteringClientConfig.builder(broker.bootstrapServers())
                .decisionTimeout(Duration.ofSeconds(2))
                .sendTimeout(Duration.ofSeconds(2))
                .build())) {

            // When the broker stops and a request is sent
            broker.close();
            CompletableFuture<?> future = client.decide(AiRequest.newBuilder()
                    .setRequestId("req-outage")
                    .setUserId("erin")
                    .setOperationType("text_generation")
                    .setRequestedAt(Instant.now())
                    .build());

            // Then it fails with the outage exception, and nothing stays pending
            assertThatThrownBy(future::join)
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOf(MeteringUnavailableException.class)
                    .hasMessageContaining("req-outage");
            assertThat(client.pendingDecisions()).isZero();
        }
    }
}
