package io.aicredits.starter;

import io.aicredits.client.MeteringClientConfig;
import io.aicredits.schemas.Topic;
import io.aicredits.schemas.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the metering starter, under {@code metering.client}.
 *
 * @param enabled          whether the starter configures anything at all (default {@code true})
 * @param bootstrapServers Kafka bootstrap servers (default {@code localhost:9092})
 * @param instanceId       unique id of this service instance: client ids and the default reply
 *                         partition (default: a random {@code metering-client-<uuid>} per start)
 * @param replyPartition   the {@code ai.decisions} partition this instance reads (default: derived
 *                         from the instance id modulo the partition count)
 * @param decisionTimeout  how long a guarded request waits for its decision (default 5 s); then 503
 * @param sendTimeout      how long a send may wait for the broker (default 10 s, at least 1 s)
 * @param topics           topic names (default: those of {@code io.aicredits.schemas.Topics})
 * @param stream           where the metering stream answers balance queries
 * @param guard            the {@code @RequireCredits} guard
 * @param kafka            extra producer/consumer properties, e.g. {@code security.protocol}
 */
@ConfigurationProperties("metering.client")
public record MeteringClientProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("localhost:9092") String bootstrapServers,
        String instanceId,
        Integer replyPartition,
        @DefaultValue("5s") Duration decisionTimeout,
        @DefaultValue("10s") Duration sendTimeout,
        @DefaultValue TopicNames topics,
        @DefaultValue Stream stream,
        @DefaultValue Guard guard,
        Map<String, String> kafka) {

    public MeteringClientProperties {
        kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
    }

    /**
     * Topic names; an empty name means the name in {@code io.aicredits.schemas.Topics}.
     *
     * @param requests  decisions are asked on (default {@code ai.requests})
     * @param decisions decisions are read from (default {@code ai.decisions})
     * @param usage     usage is reported to (default {@code ai.usage})
     * @param commands  credit commands are written to (default {@code credit.commands})
     */
    public record TopicNames(String requests, String decisions, String usage, String commands) {

        Topic<String, io.aicredits.events.AiRequest> requestsTopic() {
            return named(Topics.AI_REQUESTS, requests);
        }

        Topic<String, io.aicredits.events.CreditDecision> decisionsTopic() {
            return named(Topics.AI_DECISIONS, decisions);
        }

        Topic<String, io.aicredits.events.UsageEvent> usageTopic() {
            return named(Topics.AI_USAGE, usage);
        }

        Topic<String, io.aicredits.events.CreditCommand> commandsTopic() {
            return named(Topics.CREDIT_COMMANDS, commands);
        }

        private static <K, V> Topic<K, V> named(Topic<K, V> topic, String name) {
            return name == null || name.isBlank() ? topic : topic.withName(name);
        }
    }

    /**
     * The metering stream's HTTP side.
     *
     * @param url                 base URL of a metering-stream instance: {@code GET {url}/balances/{user}}
     *                            (default {@code http://localhost:7070})
     * @param queryTimeout        bound of one balance query (default 5 s)
     * @param commandApplyTimeout how long {@code CreditService} waits until the stream shows a command applied (default 10 s)
     */
    public record Stream(@DefaultValue("http://localhost:7070") URI url,
                         @DefaultValue("5s") Duration queryTimeout,
                         @DefaultValue("10s") Duration commandApplyTimeout) {
    }

    /**
     * The {@code @RequireCredits} guard.
     *
     * @param enabled         whether {@code @RequireCredits} methods are guarded (default {@code true})
     * @param rejectionStatus HTTP status of a rejection for the user's balance, token limit or budget
     *                        (default 403; the gateway's HTTP API answers 400)
     */
    public record Guard(@DefaultValue("true") boolean enabled, @DefaultValue("403") int rejectionStatus) {

        public Guard {
            if (rejectionStatus < 400 || rejectionStatus > 599) {
                throw new IllegalArgumentException("metering.client.guard.rejection-status must be a 4xx or 5xx status");
            }
        }
    }

    /** The metering client's settings. */
    MeteringClientConfig clientConfig() {
        MeteringClientConfig.Builder builder = MeteringClientConfig.builder(bootstrapServers)
                .decisionTimeout(decisionTimeout)
                .sendTimeout(sendTimeout)
                .requests(topics.requestsTopic())
                .decisions(topics.decisionsTopic())
                .usage(topics.usageTopic());
        if (instanceId != null && !instanceId.isBlank()) {
            builder.instanceId(instanceId);
        }
        if (replyPartition != null) {
            builder.replyPartition(replyPartition);
        }
        kafka.forEach(builder::kafkaProperty);
        return builder.build();
    }
}
