package io.aicredits.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.support.ClickHouseTables;
import io.aicredits.analytics.support.UsageEvents;
import io.aicredits.events.UsageEvent;
import io.aicredits.infra.ChildJvm;
import io.aicredits.infra.ClickHouseServer;
import io.aicredits.infra.FreePorts;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.internal.InternalToken;
import io.aicredits.schemas.Topics;
import io.aicredits.sink.support.KafkaProgress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real application in a child JVM, killed with SIGKILL in the middle of a stream of 10,000
 * usage events (batches of 100 rows, crossing a month boundary) and started again — twice.
 */
class UsageSinkCrashRecoveryTest {

    private static final String INTERNAL_TOKEN = "an-internal-token-for-tests-0123456789";

    private static final int PARTITIONS = 4;
    private static final int EVENTS = 10_000;
    private static final String DATABASE = "crash";
    private static final String GROUP = "usage-sink-crash";
    /** 10,000 events one per 60 ms from here cross midnight into February half-way. */
    private static final Instant START = Instant.parse("2025-01-31T23:55:00Z");

    private static KafkaBroker kafka;
    private static ClickHouseServer clickHouse;

    @BeforeAll
    static void startInfra() {
        kafka = KafkaBroker.start();
        clickHouse = ClickHouseServer.start();
        kafka.createTopic(Topics.AI_USAGE, PARTITIONS);
        kafka.createTopic(Topics.CREDIT_LEDGER, PARTITIONS);
        kafka.createTopic(Topics.DEAD_LETTERS, 1);
    }

    @AfterAll
    static void stopInfra() {
        if (clickHouse != null) {
            clickHouse.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static ChildJvm startSink(String name) {
        return startSink(name, 0);
    }

    private static ChildJvm startSink(String name, int httpPort) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        // The killed member never leaves the group: let the broker notice quickly.
        properties.put("spring.kafka.consumer.properties.session.timeout.ms", "6000");
        properties.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
        properties.put("usage-sink.clickhouse.url", clickHouse.endpoint());
        properties.put("usage-sink.clickhouse.database", DATABASE);
        properties.put("usage-sink.group-id", GROUP);
        properties.put("usage-sink.batch.max-rows", "100");
        properties.put("usage-sink.batch.max-delay", "100ms");
        properties.put("server.port", Integer.toString(httpPort));
        properties.put("spring.main.banner-mode", "off");
        properties.put(InternalToken.PROPERTY, INTERNAL_TOKEN);
        return ChildJvm.start(name, UsageSinkApplication.class.getName(), List.of(), properties,
                List.of("-Xmx256m"), Path.of("target", "child-logs", name + ".log"));
    }

    @Test
    void shouldStoreEveryEventExactlyOnceWhenKilledMidStream() throws Exception {
        List<UsageEvent> events = IntStream.range(0, EVENTS).mapToObj(i -> UsageEvents.generated(i, START)).toList();
        try (KafkaProducer<String, UsageEvent> producer = UsageEvents.producer(kafka.bootstrapServers(), Topics.AI_USAGE);
             Admin admin = kafka.newAdmin()) {
            // Given 10,000 events waiting on the topic and a sink working through them
            UsageEvents.send(producer, Topics.AI_USAGE, events);
            try (Client client = ClickHouseTables.client(clickHouse, DATABASE)) {
                // When it is killed hard in the middle of the stream, twice
                for (long killAt : List.of(2_000L, 6_000L)) {
                    ChildJvm sink = startSink("usage-sink-killed-at-" + killAt);
                    try {
                        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(10))
                                .failFast("the sink exited; see " + sink.logFile(), () -> !sink.isAlive())
                                .until(() ->
                                countOrZero(client) >= killAt);
                        sink.kill();
                    } finally {
                        sink.stop();
                    }
                    assertThat(countOrZero(client)).as("killed mid-stream").isBetween(killAt, EVENTS - 1L);
                }
            }

            // and started again
            int httpPort = FreePorts.next();
            ChildJvm last = startSink("usage-sink-last", httpPort);
            try (Client client = ClickHouseTables.client(clickHouse, DATABASE)) {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .failFast("the sink exited; see " + last.logFile(), () -> !last.isAlive())
                        .until(() ->
                        KafkaProgress.caughtUp(admin, GROUP, Topics.AI_USAGE.name(), PARTITIONS)
                                && countOrZero(client) >= EVENTS);

                // Then every event is stored exactly once, and the daily aggregate equals the raw sums
                assertThat(ClickHouseTables.count(client, "SELECT count() FROM ai_usage_logs")).isEqualTo(EVENTS);
                assertThat(ClickHouseTables.count(client, "SELECT uniqExact(id) FROM ai_usage_logs")).isEqualTo(EVENTS);
                assertThat(ClickHouseTables.count(client, "SELECT uniqExact(kafka_partition, kafka_offset) FROM ai_usage_logs"))
                        .isEqualTo(EVENTS);
                assertThat(ClickHouseTables.count(client, "SELECT sum(requests) FROM usage_daily")).isEqualTo(EVENTS);
                assertThat(ClickHouseTables.count(client, "SELECT uniqExact(toYYYYMM(created_at)) FROM ai_usage_logs"))
                        .as("the stream crosses a month boundary").isEqualTo(2);
                assertThat(ClickHouseTables.aggregateDailySums(client)).isEqualTo(ClickHouseTables.rawDailySums(client));

                // and the actuator shows it healthy, with its metrics
                assertThat(get(httpPort, "/actuator/health/usageSink"))
                        .contains("\"status\":\"UP\"").contains("\"clickhouseAvailable\":true");
                assertThat(get(httpPort, "/actuator/prometheus"))
                        .contains("usage_sink_rows_written_total{table=\"ai_usage_logs\"}")
                        .contains("usage_sink_batch_size_count").contains("usage_sink_lag")
                        .contains("usage_sink_clickhouse_retries_total");
            } finally {
                last.stop();
            }
        }
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + INTERNAL_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /** 0 until the sink's migrations have created the table. */
    private static long countOrZero(Client client) {
        return ClickHouseTables.count(client, "SELECT count() FROM system.tables WHERE database = currentDatabase()"
                + " AND name = 'ai_usage_logs'") == 0 ? 0 : ClickHouseTables.count(client, "SELECT count() FROM ai_usage_logs");
    }
}
