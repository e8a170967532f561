package io.aicredits.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.clickhouse.ClickHouseMigrations;
import io.aicredits.analytics.clickhouse.ClickHouseSql;
import io.aicredits.analytics.support.ClickHouseTables;
import io.aicredits.analytics.support.UsageEvents;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.UsageEvent;
import io.aicredits.infra.ClickHouseServer;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.schemas.DeadLetters;
import io.aicredits.schemas.Topic;
import io.aicredits.schemas.Topics;
import io.aicredits.sink.support.KafkaProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sink in-process against a real broker and a real ClickHouse that goes away and comes back. */
class UsageSinkClickHouseOutageTest {

    private static final int PARTITIONS = 3;
    private static final Instant JAN_31_LATE = Instant.parse("2025-01-31T23:59:00Z");

    private static KafkaBroker kafka;
    private static ClickHouseServer clickHouse;

    @BeforeAll
    static void startInfra() {
        kafka = KafkaBroker.start();
        clickHouse = ClickHouseServer.start();
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

    private record Setup(SinkSettings settings, Topic<String, UsageEvent> usage, Topic<String, LedgerEntry> ledger) {
    }

    private static Setup topics(String name) {
        SinkSettings settings = new SinkSettings("ai.usage." + name, "credit.ledger." + name, "metering.dlq." + name,
                "usage-sink-" + name, 100, Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofSeconds(10));
        Setup setup = new Setup(settings, Topics.AI_USAGE.withName(settings.usageTopic()),
                Topics.CREDIT_LEDGER.withName(settings.ledgerTopic()));
        kafka.createTopic(setup.usage(), PARTITIONS);
        kafka.createTopic(setup.ledger(), PARTITIONS);
        kafka.createTopic(Topics.DEAD_LETTERS.withName(settings.deadLetterTopic()), 1);
        return setup;
    }

    private static Map<String, Object> kafkaConfig() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    }

    private static List<UsageEvent> generated(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> UsageEvents.generated(i, JAN_31_LATE)).toList();
    }

    @Test
    void shouldLandEveryEventExactlyOnceWhenClickHouseIsDownForAWhile() {
        Setup setup = topics("outage");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Client client = ClickHouseTables.client(clickHouse, "outage");
             KafkaProducer<String, UsageEvent> producer = UsageEvents.producer(kafka.bootstrapServers(), setup.usage());
             Admin admin = kafka.newAdmin()) {
            ClickHouseMigrations.migrate(client);
            Client sinkClient = ClickHouseTables.client(clickHouse, "outage");
            UsageSink sink = new UsageSink(setup.settings(), kafkaConfig(), sinkClient, registry);
            try {
                // Given a running sink that has stored the first 1,000 events (spanning two months)
                sink.start();
                UsageEvents.send(producer, setup.usage(), generated(0, 1000));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                        ClickHouseTables.count(client, "SELECT count() FROM ai_usage_logs") == 1000);

                // When ClickHouse stops while 1,000 more events arrive
                clickHouse.stop();
                UsageEvents.send(producer, setup.usage(), generated(1000, 2000));
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        registry.counter("usage.sink.clickhouse.retries").count() >= 4
                                && registry.get("usage.sink.clickhouse.unavailable").gauge().value() == 1.0);
                assertThat(KafkaProgress.caughtUp(admin, setup.settings().groupId(), setup.usage().name(), PARTITIONS))
                        .as("nothing past the outage is committed").isFalse();

                // and comes back
                clickHouse.restart();

                // Then every event lands once, and the daily aggregate matches the raw rows
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                        KafkaProgress.caughtUp(admin, setup.settings().groupId(), setup.usage().name(), PARTITIONS)
                                && ClickHouseTables.count(client, "SELECT count() FROM ai_usage_logs") >= 2000);
                assertThat(ClickHouseTables.count(client, "SELECT count() FROM ai_usage_logs")).isEqualTo(2000);
                assertThat(ClickHouseTables.count(client, "SELECT uniqExact(id) FROM ai_usage_logs")).isEqualTo(2000);
                assertThat(ClickHouseTables.count(client, "SELECT sum(requests) FROM usage_daily")).isEqualTo(2000);
                assertThat(ClickHouseTables.aggregateDailySums(client)).isEqualTo(ClickHouseTables.rawDailySums(client));
                assertThat(registry.get("usage.sink.clickhouse.unavailable").gauge().value()).isZero();
            } finally {
                sink.close();
                sinkClient.close();
            }
        }
    }

    @Test
    void shouldDeadLetterUnmappableRecordsWithTheReasonAndKeepGoing() {
        Setup setup = topics("dlq");
        try (Client client = ClickHouseTables.client(clickHouse, "dlq");
             KafkaProducer<byte[], byte[]> raw = rawProducer()) {
            ClickHouseMigrations.migrate(client);
            Client sinkClient = ClickHouseTables.client(clickHouse, "dlq");
            UsageSink sink = new UsageSink(setup.settings(), kafkaConfig(), sinkClient, new SimpleMeterRegistry());
            try {
                sink.start();
                // Given garbage bytes, an event with negative tokens and a good event, in one partition
                byte[] key = "mila".getBytes(StandardCharsets.UTF_8);
                UsageEvent negative = UsageEvents.event("bad-tokens", "mila", "gpt-4o", "ai_card", -5, 1, 10, JAN_31_LATE);
                UsageEvent good = UsageEvents.event("good", "mila", "gpt-4o", "ai_card", 5, 1, 10, JAN_31_LATE);
                raw.send(new ProducerRecord<>(setup.usage().name(), 0, key, "not avro".getBytes(StandardCharsets.UTF_8)));
                raw.send(new ProducerRecord<>(setup.usage().name(), 0, key, setup.usage().valueSerde().serializer().serialize("t", negative)));
                raw.send(new ProducerRecord<>(setup.usage().name(), 0, key, setup.usage().valueSerde().serializer().serialize("t", good)));
                // and a ledger entry
                LedgerEntry entry = LedgerEntry.newBuilder().setEntryId("e1").setUserId("mila").setPool("ai_credits")
                        .setKind(LedgerKind.HOLD_SETTLED).setDelta(-2).setBalanceAfter(98).setCauseId("req-good")
                        .setOperationType("ai_card").setNote(null).setCreatedAt(JAN_31_LATE).build();
                raw.send(new ProducerRecord<>(setup.ledger().name(), 0, key, setup.ledger().valueSerde().serializer().serialize("t", entry)));
                raw.flush();

                // Then the good rows land and both bad records are dead-lettered with their reason
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        ClickHouseTables.count(client, "SELECT count() FROM ai_usage_logs") == 1
                                && ClickHouseTables.count(client, "SELECT count() FROM credit_ledger") == 1);
                assertThat(ClickHouseTables.count(client, "SELECT count() FROM ai_usage_logs WHERE id = 'good' AND kafka_offset = 2")).isEqualTo(1);
                assertThat(ClickHouseTables.count(client, "SELECT sum(delta) FROM credit_ledger WHERE user_id = 'mila'")).isEqualTo(-2);

                List<ConsumerRecord<byte[], byte[]>> dead = readAll(setup.settings().deadLetterTopic(), 2);
                assertThat(dead).hasSize(2);
                assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET)).containsExactly("0", "1");
                assertThat(dead).allSatisfy(r -> {
                    assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(setup.usage().name());
                    assertThat(DeadLetters.header(r.headers(), DeadLetters.FAILED_BY)).isEqualTo("usage-sink");
                    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("mila");
                });
                assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON)).contains("not Avro single-object encoding");
                assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
                assertThat(DeadLetters.header(dead.get(1).headers(), DeadLetters.REASON)).contains("tokens_input must not be negative");
            } finally {
                sink.close();
                sinkClient.close();
            }
        }
    }

    @Test
    void shouldDeadLetterRowsClickHouseRefusesAsInvalidAndKeepWriting() {
        Setup setup = topics("refused");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Client client = ClickHouseTables.client(clickHouse, "refused");
             KafkaProducer<String, UsageEvent> producer = UsageEvents.producer(kafka.bootstrapServers(), setup.usage())) {
            ClickHouseMigrations.migrate(client);
            // Given a table whose pool holds at most 10 bytes (as an analyst might tighten a column): "ai_credits" fits
            ClickHouseSql.execute(client, "ALTER TABLE ai_usage_logs MODIFY COLUMN pool FixedString(10)");
            Client sinkClient = ClickHouseTables.client(clickHouse, "refused");
            UsageSink sink = new UsageSink(setup.settings(), kafkaConfig(), sinkClient, registry);
            try {
                sink.start();
                // When one event of 30 carries a pool ClickHouse refuses, in the middle of a batch
                List<UsageEvent> events = new ArrayList<>(generated(0, 30));
                events.set(12, UsageEvent.newBuilder(events.get(12)).setPool("mystery_pool").build());
                UsageEvents.send(producer, setup.usage(), events);

                // Then the other 29 land, the refused one is dead-lettered with ClickHouse's reason, and the sink goes on
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        ClickHouseTables.count(client, "SELECT count() FROM ai_usage_logs") == 29);
                List<ConsumerRecord<byte[], byte[]>> dead = readAll(setup.settings().deadLetterTopic(), 1);
                assertThat(dead).singleElement().satisfies(record -> {
                    assertThat(DeadLetters.header(record.headers(), DeadLetters.REASON)).contains("refused").contains("invalid")
                            .contains("Code: 131");
                    assertThat(DeadLetters.header(record.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(setup.usage().name());
                    UsageEvent original = setup.usage().valueSerde().deserializer().deserialize("t", record.value());
                    assertThat(original.getId()).isEqualTo(events.get(12).getId());
                });
                assertThat(ClickHouseTables.count(client, "SELECT count() FROM ai_usage_logs WHERE id = '" + events.get(12).getId() + "'"))
                        .isZero();
                assertThat(registry.get("usage.sink.clickhouse.unavailable").gauge().value()).as("not an outage").isZero();
                assertThat(registry.counter("usage.sink.clickhouse.retries").count()).isZero();

                // and later events still land
                UsageEvents.send(producer, setup.usage(), generated(30, 40));
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        ClickHouseTables.count(client, "SELECT count() FROM ai_usage_logs") == 39);
            } finally {
                sink.close();
                sinkClient.close();
            }
        }
    }

    @Test
    void shouldFlushPendingRowsWhenStoppedCleanly() {
        Setup setup = topics("stop");
        SinkSettings neverByItself = new SinkSettings(setup.usage().name(), setup.ledger().name(),
                setup.settings().deadLetterTopic(), setup.settings().groupId(), 10_000, Duration.ofHours(1),
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Client client = ClickHouseTables.client(clickHouse, "stop");
             KafkaProducer<String, UsageEvent> producer = UsageEvents.producer(kafka.bootstrapServers(), setup.usage())) {
            ClickHouseMigrations.migrate(client);
            Client sinkClient = ClickHouseTables.client(clickHouse, "stop");
            UsageSink sink = new UsageSink(neverByItself, kafkaConfig(), sinkClient, registry);
            try {
                // Given a sink holding 50 read rows that neither the size nor the age bound will flush
                sink.start();
                UsageEvents.send(producer, setup.usage(), generated(0, 50));
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        registry.get("usage.sink.pending.rows").gauge().value() == 50.0);
                assertThat(ClickHouseTables.count(client, "SELECT count() FROM ai_usage_logs")).isZero();

                // When it is stopped
                sink.close();

                // Then it wrote them before leaving
                assertThat(sink.isRunning()).isFalse();
                assertThat(ClickHouseTables.count(client, "SELECT count() FROM ai_usage_logs")).isEqualTo(50);
            } finally {
                sink.close();
                sinkClient.close();
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        return records;
    }
}
