package io.aicredits.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aicredits.events.AdjustCredits;
import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditCommand;
import io.aicredits.infra.FreePorts;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.internal.InternalToken;
import io.aicredits.schemas.Topics;
import io.aicredits.stream.balances.BalanceLookup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two Spring instances share 6 partitions: every user's balance and command outcome answers from either, via owner routing
 * (forwarded with the internal token); without the token only health answers.
 */
class TwoInstancesBrokerTest {

    private static final int USERS = 12;
    private static final String INTERNAL_TOKEN = "two-instances-internal-token-0123456789";

    private static KafkaBroker broker;
    private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();

    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start();
        broker.createAllTopics(6);
        for (String name : List.of("a", "b")) {
            int port = FreePorts.next();
            ports.add(port);
            instances.add(new SpringApplicationBuilder(MeteringStreamApplication.class).run(
                    "--server.port=" + port,
                    "--server.address=127.0.0.1",
                    "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                    "--metering.application-id=two-instances",
                    "--metering.state-dir=" + dir.resolve(name),
                    "--metering.application-server=127.0.0.1:" + port,
                    "--" + InternalToken.PROPERTY + "=" + INTERNAL_TOKEN));
        }
    }

    @AfterAll
    static void stop() {
        instances.forEach(ConfigurableApplicationContext::close);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldAnswerAnyUsersBalanceFromEitherInstance() throws Exception {
        List<MeteringStreamRuntime> runtimes = instances.stream().map(c -> c.getBean(MeteringStreamRuntime.class)).toList();
        runtimes.forEach(r -> r.awaitRunning(Duration.ofSeconds(60)));
        // Both instances own tasks once the rebalance after the second join settles.
        await().atMost(Duration.ofSeconds(60)).until(() -> runtimes.stream().allMatch(r ->
                r.streams().state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                        && r.streams().metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum() > 0));

        try (KafkaProducer<String, AiRequest> producer = BrokerClients.producer(broker, Topics.AI_REQUESTS)) {
            for (int u = 0; u < USERS; u++) {
                AiRequest r = BrokerClients.request("user-" + u, "two-" + u, "image_generation");
                r.setReplyPartition(u % 6);
                producer.send(new ProducerRecord<>(Topics.AI_REQUESTS.name(), r.getUserId(), r));
            }
        }
        var decisions = BrokerClients.readCommittedRecords(broker, Topics.AI_DECISIONS, d -> d.size() >= USERS, Duration.ofSeconds(60));
        assertThat(decisions).hasSize(USERS).allSatisfy(d -> assertThat(d.partition())
                .as("reply partition of %s", d.key()).isEqualTo(Integer.parseInt(d.key().substring("two-".length())) % 6));

        assertThat(runtimes.get(0).lookup("user-0")).isNotInstanceOf(BalanceLookup.Unavailable.class);
        long remoteForA = java.util.stream.IntStream.range(0, USERS)
                .filter(u -> runtimes.get(0).lookup("user-" + u) instanceof BalanceLookup.Remote).count();
        assertThat(remoteForA).as("instance a owns only some users").isBetween(1L, (long) USERS - 1);
        for (int u = 0; u < USERS; u++) {
            for (int port : ports) {
                String user = "user-" + u;
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    HttpResponse<String> response = get(port, "/balances/" + user);
                    assertThat(response.statusCode()).as("GET %s on %d: %s", user, port, response.body()).isEqualTo(200);
                    assertThat(response.body()).contains("\"user_id\":\"" + user + "\"")
                            .contains("\"pool\":\"ai_credits\",\"balance\":95,\"limit\":100,\"held\":5");
                });
            }
        }
        // Each user's command outcome answers from either instance too: it lives with the user's key
        try (KafkaProducer<String, CreditCommand> producer = BrokerClients.producer(broker, Topics.CREDIT_COMMANDS)) {
            for (int u = 0; u < USERS; u++) {
                String user = "user-" + u;
                producer.send(new ProducerRecord<>(Topics.CREDIT_COMMANDS.name(), user, CreditCommand.newBuilder()
                        .setCommandId("deduct-" + u).setUserId(user).setActor("admin").setIssuedAt(Instant.now())
                        .setCommand(AdjustCredits.newBuilder().setPool("ai_credits").setDelta(-500).setAllowNegative(false).build())
                        .build()));
            }
        }
        for (int u = 0; u < USERS; u++) {
            for (int port : ports) {
                String path = "/balances/user-" + u + "/commands/deduct-" + u;
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    HttpResponse<String> response = get(port, path);
                    assertThat(response.statusCode()).as("GET %s on %d: %s", path, port, response.body()).isEqualTo(200);
                    assertThat(response.body()).contains("\"state\":\"refused\"").contains("below zero");
                });
            }
        }
        assertThat(get(ports.get(0), "/balances/user-0/commands/never-sent").body()).contains("\"state\":\"unknown\"");
        assertThat(get(ports.get(0), "/balances/user-0", null).statusCode()).as("without the internal token").isEqualTo(401);
        assertThat(get(ports.get(0), "/actuator/prometheus", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get(ports.get(0), "/actuator/health", null).statusCode()).isEqualTo(200);
        String metrics = get(ports.get(0), "/actuator/prometheus").body() + get(ports.get(1), "/actuator/prometheus").body();
        assertThat(metrics).contains("metering_decisions_total{").contains("outcome=\"approved\"")
                .contains("metering_processing_latency_seconds").contains("metering_holds_open")
                .contains("metering_holds_expired_total");
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return get(port, path, "Bearer " + INTERNAL_TOKEN);
    }

    private HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
