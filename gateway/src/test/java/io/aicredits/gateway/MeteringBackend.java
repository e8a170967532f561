package io.aicredits.gateway;

import static org.awaitility.Awaitility.await;

import io.aicredits.events.UsageEvent;
import io.aicredits.infra.FreePorts;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.internal.InternalToken;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.Topics;
import io.aicredits.stream.MeteringStreamApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real backend for end-to-end tests: a KRaft broker with every topic, and the real
 * metering-stream service (its Spring app: topology plus the {@code GET /balances/{userId}}
 * endpoint) on a free port with a temp state dir. {@link #close()} stops both.
 */
final class MeteringBackend implements AutoCloseable {

    /** ai.decisions partitions: gateways in a test class each take their own. */
    static final int PARTITIONS = 2;

    private final KafkaBroker broker;
    private final ConfigurableApplicationContext stream;
    private final String streamUrl;
    private final Path workDir;
    private final KafkaConsumer<String, UsageEvent> usage;
    private final List<UsageEvent> usageSeen = new ArrayList<>();

    private MeteringBackend(KafkaBroker broker, ConfigurableApplicationContext stream, Path workDir) {
        this.broker = broker;
        this.stream = stream;
        this.workDir = workDir;
        this.streamUrl = "http://127.0.0.1:" + stream.getEnvironment().getProperty("local.server.port");
        this.usage = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "usage-watch-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), AvroSerdes.usageEvent());
        usage.subscribe(List.of(Topics.AI_USAGE.name()));
    }

    static MeteringBackend start() throws IOException {
        Path workDir = Files.createTempDirectory("gateway-e2e-");
        KafkaBroker broker = KafkaBroker.start();
        try {
            broker.createAllTopics(PARTITIONS);
            int httpPort = FreePorts.next();
            ConfigurableApplicationContext stream = new SpringApplicationBuilder(MeteringStreamApplication.class).run(
                    // No application.yml of its own here (the gateway's is first on this classpath): set what it needs.
                    "--spring.config.name=metering-stream-e2e",
                    "--spring.main.web-application-type=servlet",
                    "--server.port=" + httpPort,
                    // Interactive queries locate a key's owner through application.server.
                    "--metering.application-server=127.0.0.1:" + httpPort,
                    "--server.address=127.0.0.1",
                    "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                    "--metering.application-id=metering-e2e-" + UUID.randomUUID(),
                    "--metering.state-dir=" + workDir.resolve("stream-state"),
                    "--metering.punctuate-interval=1s",
                    "--" + InternalToken.PROPERTY + "=" + TestGateway.INTERNAL_TOKEN,
                    // The gateway's security starter is on this test classpath; the stream has none.
                    "--spring.autoconfigure.exclude="
                            + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                            + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                            + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                            + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                            + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration,"
                            + "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration,"
                            + "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration");
            MeteringBackend backend = new MeteringBackend(broker, stream, workDir);
            try {
                backend.awaitBalancesServed();
            } catch (RuntimeException e) {
                backend.close();
                throw e;
            }
            return backend;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    private void awaitBalancesServed() {
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(streamUrl + "/balances/warm-up"))
                            .header("Authorization", "Bearer " + TestGateway.INTERNAL_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            org.assertj.core.api.Assertions.assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        });
    }

    /** A gateway on this broker and stream, media under the work dir, plus the test's own properties. */
    TestGateway startGateway(Map<String, Object> overrides) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("gateway.metering.stream-url", streamUrl);
        properties.putAll(overrides);
        return TestGateway.start(bootstrapServers(), workDir.resolve("media"), properties);
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    String streamUrl() {
        return streamUrl;
    }

    Path workDir() {
        return workDir;
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
            try {
                stream.close();
            } finally {
                broker.close();
            }
        }
    }
}
