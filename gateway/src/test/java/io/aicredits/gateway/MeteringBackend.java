package io.aicredits.gateway;

import static org.awaitility.Awaitility.await;

import io.aicredits.events.UsageEvent;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.Topics;
import io.aicredits.stream.testing.MeteringStreamServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The real backend for end-to-end tests: metering-stream's {@link MeteringStreamServer} (a KRaft
 * broker with every topic and the real metering-stream service, {@code GET /balances/{userId}}
 * included) plus a watch on {@code ai.usage}. {@link #close()} stops both.
 */
final class MeteringBackend implements AutoCloseable {

    /** ai.decisions partitions: gateways in a test class each take their own. */
    static final int PARTITIONS = 2;

    private final MeteringStreamServer server;
    private final KafkaConsumer<String, UsageEvent> usage;
    private final List<UsageEvent> usageSeen = new ArrayList<>();

    private MeteringBackend(MeteringStreamServer server) {
        this.server = server;
        this.usage = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "usage-watch-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), AvroSerdes.usageEvent());
        usage.subscribe(List.of(Topics.AI_USAGE.name()));
    }

    static MeteringBackend start() {
        return new MeteringBackend(MeteringStreamServer.start(PARTITIONS));
    }

    /** A gateway on this broker and stream, media under the work dir, plus the test's own properties. */
    TestGateway startGateway(Map<String, Object> overrides) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("gateway.metering.stream-url", streamUrl());
        properties.putAll(overrides);
        return TestGateway.start(bootstrapServers(), workDir().resolve("media"), properties);
    }

    String bootstrapServers() {
        return server.bootstrapServers();
    }

    String streamUrl() {
        return server.url();
    }

    Path workDir() {
        return server.workDir();
    }

    /** Waits for the usage event of a request and returns it. */
    UsageEvent awaitUsage(java.util.function.Predicate<UsageEvent> match) {
        synchronized (usageSeen) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                usage.poll(Duration.ofMillis(200)).forEach(record -> usageSeen.add(record.value()));
                return usageSeen.stream().anyMatch(match);
            });
            return usageSeen.stream().filter(match).findFirst().orElseThrow();
        }
    }

    /** Waits for the first usage event of a user and returns it. */
    UsageEvent awaitUsageOf(String userId) {
        return awaitUsage(event -> event.getUserId().equals(userId));
    }

    /** Every usage event read so far that matches. */
    List<UsageEvent> usageMatching(java.util.function.Predicate<UsageEvent> match) {
        synchronized (usageSeen) {
            usage.poll(Duration.ofMillis(500)).forEach(record -> usageSeen.add(record.value()));
            return usageSeen.stream().filter(match).toList();
        }
    }

    @Override
    public void close() {
        try {
            usage.close(Duration.ofSeconds(2));
        } finally {
            server.close();
        }
    }
}
