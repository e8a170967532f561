package io.aicredits.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.internal.InternalToken;
import io.aicredits.schemas.Topics;
import io.aicredits.schemas.UsdNanos;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The Spring service wired end to end: a usage over half of a user's budget → one alert on the webhook and Telegram. */
class AlertsApplicationTest {

    private static final String INTERNAL_TOKEN = "an-internal-token-for-tests-0123456789";

    @Test
    void shouldSendAnAlertThroughConfiguredChannelsWhenABudgetThresholdIsCrossed() throws Exception {
        List<String> webhook = new CopyOnWriteArrayList<>();
        List<String> telegram = new CopyOnWriteArrayList<>();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/hook", exchange -> {
            webhook.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        http.createContext("/botT0KEN/sendMessage", exchange -> {
            telegram.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        http.start();
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createAllTopics(1);
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(AlertsApplication.class)
                    .run("--server.port=0",
                            "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                            "--alerts.application-id=alerts-app-" + UUID.randomUUID(),
                            "--alerts.state-dir=" + Files.createTempDirectory("alerts-app-"),
                            "--alerts.budgets.user-monthly-usd=1.00",
                            "--alerts.webhook.url=" + base + "/hook",
                            "--alerts.telegram.base-url=" + base,
                            "--alerts.telegram.bot-token=T0KEN",
                            "--alerts.telegram.chat-id=99",
                            "--" + InternalToken.PROPERTY + "=" + INTERNAL_TOKEN);
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                         new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                // Given the service reports healthy with its stream running (what the local run and docker-compose wait for)
                int port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"alertsStream\"").contains("\"state\":\"RUNNING\"");
                HttpResponse<String> prometheus = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                        .header("Authorization", "Bearer " + INTERNAL_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(prometheus.statusCode()).isEqualTo(200);
                assertThat(prometheus.body()).contains("kafka_stream_");

                // When a usage crosses half of the user's budget
                Instant now = Instant.now();
                UsageEvent usage = UsageEvent.newBuilder().setId("usage-app-1").setRequestId("req-1").setUserId("u9")
                        .setModel("gpt-4o").setOperationType("ai_summary").setStatus(UsageStatus.SUCCEEDED)
                        .setCostUsdNanos(UsdNanos.fromUsd(new BigDecimal("0.60"))).setCreatedAt(now).build();
                producer.send(new ProducerRecord<>(Topics.AI_USAGE.name(), null, now.toEpochMilli(), "u9",
                        Topics.AI_USAGE.valueSerde().serializer().serialize(Topics.AI_USAGE.name(), usage))).get();

                // Then one alert reaches the webhook and Telegram
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(webhook).singleElement().asString().contains("\"alert_id\":\"USER_BUDGET/u9/")
                            .contains("\"threshold_percent\":50");
                    assertThat(telegram).singleElement().asString().contains("\"chat_id\":\"99\"")
                            .contains("User u9 has used 50% of their monthly AI budget: $0.60 of $1.00");
                });
            }
        } finally {
            http.stop(0);
        }
    }
}
