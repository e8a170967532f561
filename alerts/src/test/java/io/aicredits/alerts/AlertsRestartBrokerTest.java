package io.aicredits.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.aicredits.alerts.notify.AlertNotifier;
import io.aicredits.alerts.notify.TelegramChannel;
import io.aicredits.alerts.notify.WebhookChannel;
import io.aicredits.events.AlertRaised;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.schemas.Topics;
import io.aicredits.schemas.UsdNanos;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real broker: the alerts stream is stopped mid-period and restarted with an empty state dir
 * (state restored from the changelogs); each threshold still yields exactly one alert on
 * {@code ai.alerts} (read_committed). Then the notifier delivers every alert to a local JSON
 * webhook (which fails once first) and to a local Telegram Bot API.
 */
class AlertsRestartBrokerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static KafkaBroker broker;
    private static HttpServer http;
    private static final List<JsonNode> webhookBodies = new CopyOnWriteArrayList<>();
    private static final List<String> telegramPaths = new CopyOnWriteArrayList<>();
    private static final List<JsonNode> telegramBodies = new CopyOnWriteArrayList<>();
    private static final AtomicInteger webhookCalls = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        broker = KafkaBroker.start();
        broker.createAllTopics(2);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // The first delivery fails: the notifier must retry, not skip.
            int status = webhookCalls.incrementAndGet() == 1 ? 500 : 200;
            if (status == 200) {
                webhookBodies.add(JSON.readTree(body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        http.createContext("/", exchange -> {
            telegramPaths.add(exchange.getRequestURI().getPath());
            telegramBodies.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            byte[] ok = "{\"ok\":true,\"result\":{}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        http.start();
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.stop(0);
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRaiseEachThresholdOnceAcrossARestartAndNotifyEveryChannel() throws IOException {
        AlertsSettings settings = AlertsSettings.defaults().withBudgets(new BigDecimal("10"), new BigDecimal("20"), BigDecimal.ZERO);
        String appId = "alerts-restart-" + UUID.randomUUID();
        Instant now = Instant.now();
        List<String> alertIds;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            // Given the stream saw $5.50 of u1's $10 budget
            try (AlertsRuntime first = AlertsRuntime.start(props(appId), settings, Duration.ofSeconds(60))) {
                send(producer, "u1", "usage-1", "5.50", now);
                awaitAlerts(1);
            }
            // When, while it is down, u1 spends $3 more and usage-1 is published again,
            send(producer, "u1", "usage-2", "3.00", now);
            send(producer, "u1", "usage-1", "5.50", now);
            // and it restarts from empty local state (restored from the changelogs) and u1 spends $2 more
            try (AlertsRuntime second = AlertsRuntime.start(props(appId), settings, Duration.ofSeconds(60))) {
                send(producer, "u1", "usage-3", "2.00", now);
                List<AlertRaised> alerts = awaitAlerts(4);
                // Then exactly one alert per threshold: 50 (before the restart), 80 and 100 after; platform 50 % of $20
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                        .until(() -> readAlerts().size() == 4);
                String month = java.time.YearMonth.from(now.atZone(java.time.ZoneOffset.UTC)).toString();
                assertThat(alerts).extracting(AlertRaised::getAlertId).containsExactlyInAnyOrder(
                        "USER_BUDGET/u1/" + month + "/50", "USER_BUDGET/u1/" + month + "/80",
                        "USER_BUDGET/u1/" + month + "/100", "PLATFORM_MONTHLY_BUDGET/platform/" + month + "/50");
                assertThat(alerts).filteredOn(a -> a.getAlertId().endsWith("/100")).singleElement()
                        .satisfies(a -> assertThat(a.getAmount()).isEqualTo(10_500_000_000L));
                alertIds = alerts.stream().map(AlertRaised::getAlertId).toList();
            }
        }

        // The notifier sends each alert to the webhook (after one failed attempt) and to Telegram
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        try (AlertNotifier notifier = new AlertNotifier(broker.bootstrapServers(), "notifier-" + UUID.randomUUID(),
                Topics.AI_ALERTS.name(), List.of(new WebhookChannel(URI.create(base + "/hook"), Duration.ofSeconds(5)),
                        new TelegramChannel(base, "TEST-TOKEN", "4242", Duration.ofSeconds(5))),
                Duration.ofMillis(200))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(webhookBodies).extracting(b -> b.get("alert_id").asString()).containsExactlyInAnyOrderElementsOf(alertIds);
                assertThat(telegramBodies).hasSize(alertIds.size());
            });
        }
        assertThat(webhookCalls.get()).isEqualTo(alertIds.size() + 1);
        assertThat(telegramPaths).containsOnly("/botTEST-TOKEN/sendMessage");
        assertThat(telegramBodies).allSatisfy(b -> {
            assertThat(b.get("chat_id").asString()).isEqualTo("4242");
            assertThat(b.get("text").asString()).isNotBlank();
        });
        assertThat(telegramBodies).extracting(b -> b.get("text").asString())
                .anyMatch(t -> t.startsWith("User u1 has used 100% of their monthly AI budget: $10.50 of $10.00"));
        assertThat(webhookBodies).allSatisfy(b -> assertThat(b.get("kind").asString()).isNotBlank());
    }

    private static Properties props(String appId) throws IOException {
        Path stateDir = Files.createTempDirectory("alerts-state-");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return p;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String user, String usageId, String usd, Instant at) {
        UsageEvent usage = UsageEvent.newBuilder().setId(usageId).setRequestId("req-" + usageId).setUserId(user)
                .setModel("gpt-4o").setOperationType("ai_summary").setStatus(UsageStatus.SUCCEEDED)
                .setCostUsdNanos(UsdNanos.fromUsd(new BigDecimal(usd))).setCreatedAt(at).build();
        try {
            producer.send(new ProducerRecord<>(Topics.AI_USAGE.name(), null, at.toEpochMilli(), user,
                    Topics.AI_USAGE.valueSerde().serializer().serialize(Topics.AI_USAGE.name(), usage))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static List<AlertRaised> awaitAlerts(int count) {
        List<AlertRaised> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            seen.clear();
            seen.addAll(readAlerts());
            return seen.size() >= count;
        });
        return seen;
    }

    private static List<AlertRaised> readAlerts() {
        try (KafkaConsumer<String, AlertRaised> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                Topics.AI_ALERTS.valueSerde().deserializer())) {
            var partitions = consumer.partitionsFor(Topics.AI_ALERTS.name()).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            List<AlertRaised> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
            return out;
        }
    }
}
