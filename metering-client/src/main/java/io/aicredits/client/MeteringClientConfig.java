package io.aicredits.client;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.UsageEvent;
import io.aicredits.schemas.Topic;
import io.aicredits.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Settings of a {@link MeteringClient}. Build with {@link #builder(String)}.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param instanceId       unique id of this client instance (client ids, default reply partition)
 * @param replyPartition   partition of the decisions topic this instance reads; empty derives it
 *                         from {@code instanceId} modulo the partition count
 * @param decisionTimeout  how long {@link MeteringClient#decide} waits for a decision
 * @param sendTimeout      how long a send may wait for the broker (metadata, acks) before failing
 * @param requests         topic requests are sent to
 * @param decisions        topic decisions are read from
 * @param usage            topic usage events are sent to
 * @param kafkaOverrides   extra producer/consumer properties (e.g. security settings)
 */
public record MeteringClientConfig(
        String bootstrapServers,
        String instanceId,
        OptionalInt replyPartition,
        Duration decisionTimeout,
        Duration sendTimeout,
        Topic<String, AiRequest> requests,
        Topic<String, CreditDecision> decisions,
        Topic<String, UsageEvent> usage,
        Map<String, Object> kafkaOverrides) {

    public MeteringClientConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(replyPartition, "replyPartition");
        Objects.requireNonNull(decisionTimeout, "decisionTimeout");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(decisions, "decisions");
        Objects.requireNonNull(usage, "usage");
        kafkaOverrides = Map.copyOf(kafkaOverrides);
        if (decisionTimeout.isNegative() || decisionTimeout.isZero()) {
            throw new IllegalArgumentException("decisionTimeout must be positive");
        }
        if (sendTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("sendTimeout must be at least 1 s");
        }
        if (replyPartition.isPresent() && replyPartition.getAsInt() < 0) {
            throw new IllegalArgumentException("replyPartition must not be negative");
        }
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** Fluent builder with the defaults: random instance id, 5 s decision timeout, 10 s send timeout, {@link Topics}. */
    public static final class Builder {
        private final String bootstrapServers;
        private String instanceId = "metering-client-" + UUID.randomUUID();
        private OptionalInt replyPartition = OptionalInt.empty();
        private Duration decisionTimeout = Duration.ofSeconds(5);
        private Duration sendTimeout = Duration.ofSeconds(10);
        private Topic<String, AiRequest> requests = Topics.AI_REQUESTS;
        private Topic<String, CreditDecision> decisions = Topics.AI_DECISIONS;
        private Topic<String, UsageEvent> usage = Topics.AI_USAGE;
        private final Map<String, Object> kafkaOverrides = new HashMap<>();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public Builder instanceId(String value) {
            this.instanceId = value;
            return this;
        }

        public Builder replyPartition(int value) {
            this.replyPartition = OptionalInt.of(value);
            return this;
        }

        public Builder decisionTimeout(Duration value) {
            this.decisionTimeout = value;
            return this;
        }

        public Builder sendTimeout(Duration value) {
            this.sendTimeout = value;
            return this;
        }

        public Builder requests(Topic<String, AiRequest> value) {
            this.requests = value;
            return this;
        }

        public Builder decisions(Topic<String, CreditDecision> value) {
            this.decisions = value;
            return this;
        }

        public Builder usage(Topic<String, UsageEvent> value) {
            this.usage = value;
            return this;
        }

        public Builder kafkaProperty(String key, Object value) {
            this.kafkaOverrides.put(key, value);
            return this;
        }

        public MeteringClientConfig build() {
            return new MeteringClientConfig(bootstrapServers, instanceId, replyPartition, decisionTimeout,
                    sendTimeout, requests, decisions, usage, kafkaOverrides);
        }
    }
}
