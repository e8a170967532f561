package io.aicredits.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditCommand;
import io.aicredits.events.GrantCredits;
import io.aicredits.events.GrantType;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.schemas.MonthlyCalendar;
import io.aicredits.schemas.Topic;
import io.aicredits.schemas.Topics;
import io.aicredits.stream.MeteringSettings;
import io.aicredits.stream.MeteringStreamRuntime;
import io.aicredits.stream.balances.BalanceView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's {@code PeriodOpened} applied by the real metering-stream topology on a real
 * broker: spent allowances return to the limit, top-ups survive, a repeat changes nothing, and
 * the ledger has one reset entry per user and pool for the period.
 */
class PeriodResetWithMeteringStreamTest {

    private static final String POOL = MeteringSettings.AI_CREDITS;
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static KafkaBroker broker;
    private static MeteringStreamRuntime stream;

    @BeforeAll
    static void startBrokerAndStream(@TempDir Path stateDir) {
        broker = KafkaBroker.start();
        broker.createAllTopics(2);
        Properties overrides = new Properties();
        overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        overrides.put(StreamsConfig.APPLICATION_ID_CONFIG, "metering-stream-reset-it");
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        stream = MeteringStreamRuntime.start(overrides, MeteringSettings.defaults());
    }

    @AfterAll
    static void stopStreamAndBroker() {
        try {
            if (stream != null) {
                stream.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void shouldRefillSpentAllowancesKeepTopUpsAndIgnoreARepeatedOpening() {
        // Given alice spent 7 credits, bob spent 5 and then bought a 50-credit top-up, this month
        spend("alice", "image_generation", "alice-img-1");
        spend("alice", "text_generation", "alice-txt-1");
        spend("alice", "text_generation", "alice-txt-2");
        spend("bob", "image_generation", "bob-img-1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(pool("alice").balance()).isEqualTo(93);
            assertThat(pool("bob").balance()).isEqualTo(95);
        });
        command("bob", "topup-bob-1", GrantCredits.newBuilder().setPool(POOL).setCredits(50).setGrantType(GrantType.TOP_UP).build());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pool("bob").balance()).isEqualTo(145));
        assertThat(pool("alice").used()).isEqualTo(7);

        // When the scheduler, at 00:00 on the 1st of next month, opens the period
        MonthlyCalendar calendar = new MonthlyCalendar(UTC);
        YearMonth next = calendar.periodAt(Instant.now()).plusMonths(1);
        MutableClock clock = new MutableClock(calendar.startOf(next));
        try (PeriodOpener opener = opener(clock)) {
            assertThat(opener.openDuePeriods()).containsExactly(next);

            // Then spent allowances are back at the limit, and the top-up survives on top
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                BalanceView alice = stream.balance("alice");
                assertThat(alice.periodId()).isEqualTo(MonthlyCalendar.periodId(next));
                assertThat(alice.lastReset()).isEqualTo(calendar.startOf(next).toString());
                assertThat(alice.pool(POOL)).satisfies(p -> {
                    assertThat(p.balance()).isEqualTo(p.limit()).isEqualTo(100);
                    assertThat(p.used()).isZero();
                });
                assertThat(pool("bob").allowance()).isEqualTo(100);
                assertThat(pool("bob").topUp()).isEqualTo(50);
                assertThat(pool("bob").balance()).isEqualTo(150);
            });

            // When alice spends again, then the same period is opened again (operator repeat)
            spend("alice", "text_generation", "alice-txt-3");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pool("alice").balance()).isEqualTo(99));
            assertThat(opener.openPeriod(next)).isEqualTo(2);
        }
        // A later command on each user's partition proves the repeat has been processed before it.
        command("alice", "bonus-alice-1", GrantCredits.newBuilder().setPool(POOL).setCredits(1).setGrantType(GrantType.BONUS).build());
        command("bob", "bonus-bob-1", GrantCredits.newBuilder().setPool(POOL).setCredits(1).setGrantType(GrantType.BONUS).build());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(pool("alice").bonus()).isEqualTo(1);
            assertThat(pool("bob").bonus()).isEqualTo(1);
        });

        // Then the repeat changed nothing: alice's new spending was not refilled
        assertThat(pool("alice").allowance()).isEqualTo(99);
        assertThat(pool("alice").used()).isEqualTo(1);
        assertThat(pool("bob").allowance()).isEqualTo(100);
        assertThat(pool("bob").topUp()).isEqualTo(50);

        // When the scheduler restarts at the start of the month after (its clock moved on)
        YearMonth following = next.plusMonths(1);
        clock.set(calendar.startOf(following));
        try (PeriodOpener restarted = opener(clock)) {
            assertThat(restarted.openDuePeriods()).containsExactly(following);
        }
        command("alice", "bonus-alice-2", GrantCredits.newBuilder().setPool(POOL).setCredits(1).setGrantType(GrantType.BONUS).build());
        command("bob", "bonus-bob-2", GrantCredits.newBuilder().setPool(POOL).setCredits(1).setGrantType(GrantType.BONUS).build());

        // Then alice is refilled again, and bonuses and the top-up survive
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(stream.balance("alice").periodId()).isEqualTo(MonthlyCalendar.periodId(following));
            assertThat(pool("alice").allowance()).isEqualTo(100);
            assertThat(pool("alice").bonus()).isEqualTo(2);
            assertThat(pool("bob").balance()).isEqualTo(100 + 50 + 2);
        });

        // And the ledger has exactly one reset entry per user, pool and period
        List<LedgerEntry> ledger = awaitLedgerUpTo(List.of("bonus-alice-2", "bonus-bob-2"));
        List<LedgerEntry> resets = ledger.stream().filter(e -> e.getKind() == LedgerKind.PERIOD_RESET).toList();
        Map<String, Long> resetsPerUserPoolAndPeriod = resets.stream()
                .collect(Collectors.groupingBy(e -> e.getUserId() + "/" + e.getPool() + "/" + e.getCauseId(), Collectors.counting()));
        assertThat(resetsPerUserPoolAndPeriod).allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
        for (String user : List.of("alice", "bob")) {
            assertThat(resets.stream().filter(e -> e.getUserId().equals(user) && e.getPool().equals(POOL)))
                    .as("%s's %s resets", user, POOL)
                    .extracting(LedgerEntry::getCauseId)
                    .hasSize(2)
                    .anySatisfy(cause -> assertThat(cause).contains(MonthlyCalendar.periodId(next)))
                    .anySatisfy(cause -> assertThat(cause).contains(MonthlyCalendar.periodId(following)));
        }
        assertThat(resets.stream().filter(e -> e.getUserId().equals("alice") && e.getPool().equals(POOL)))
                .as("alice's refills: 7 spent in the first month, 1 in the next")
                .extracting(LedgerEntry::getDelta)
                .containsExactly(7L, 1L);
    }

    private static BalanceView.PoolView pool(String user) {
        BalanceView.PoolView pool = stream.balance(user).pool(POOL);
        assertThat(pool).as("pool %s of %s", POOL, user).isNotNull();
        return pool;
    }

    private static PeriodOpener opener(MutableClock clock) {
        Topic<String, CreditCommand> topic = Topics.CREDIT_COMMANDS;
        KafkaClientFactory clients = new KafkaClientFactory(broker.bootstrapServers(), "reset-scheduler-it", Map.of());
        OpenedPeriodsReader reader = new OpenedPeriodsReader(topic, clients, 500, Duration.ofSeconds(30));
        return new PeriodOpener(topic, clients, reader, new MonthlyCalendar(UTC), clock);
    }

    private static void spend(String user, String operation, String requestId) {
        Instant now = Instant.now();
        send(Topics.AI_REQUESTS, user, AiRequest.newBuilder()
                .setRequestId(requestId)
                .setUserId(user)
                .setOperationType(operation)
                .setRequestedAt(now)
                .build());
        send(Topics.AI_USAGE, user, UsageEvent.newBuilder()
                .setId("usage-" + requestId)
                .setRequestId(requestId)
                .setUserId(user)
                .setModel("test-model")
                .setOperationType(operation)
                .setStatus(UsageStatus.SUCCEEDED)
                .setCreatedAt(now)
                .build());
    }

    private static void command(String user, String commandId, Object body) {
        send(Topics.CREDIT_COMMANDS, user, CreditCommand.newBuilder()
                .setCommandId(commandId)
                .setUserId(user)
                .setActor("admin")
                .setIssuedAt(Instant.now())
                .setCommand(body)
                .build());
    }

    private static <V> void send(Topic<String, V> topic, String key, V value) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(config, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value));
            producer.flush();
        }
    }

    /** The committed ledger, read until entries caused by every one of {@code causeIds} are in it. */
    private static List<LedgerEntry> awaitLedgerUpTo(List<String> causeIds) {
        Topic<String, LedgerEntry> topic = Topics.CREDIT_LEDGER;
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<LedgerEntry> entries = new ArrayList<>();
        try (KafkaConsumer<String, LedgerEntry> consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Function<List<LedgerEntry>, Boolean> complete = list -> causeIds.stream()
                    .allMatch(id -> list.stream().anyMatch(e -> e.getCauseId().equals(id)));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> entries.add(r.value()));
                return complete.apply(entries);
            });
        }
        return entries;
    }
}
