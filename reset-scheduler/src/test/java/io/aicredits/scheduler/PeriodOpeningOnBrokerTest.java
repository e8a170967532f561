package io.aicredits.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aicredits.events.CreditCommand;
import io.aicredits.events.GrantCredits;
import io.aicredits.events.GrantType;
import io.aicredits.events.PeriodOpened;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.internal.InternalToken;
import io.aicredits.schemas.MonthlyCalendar;
import io.aicredits.schemas.Topic;
import io.aicredits.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.context.ConfigurableApplicationContext;

/** The scheduler against a real broker: transactions, catch-up from the topic, fencing. */
class PeriodOpeningOnBrokerTest {

    private static final String INTERNAL_TOKEN = "an-internal-token-for-tests-0123456789";

    private static final int PARTITIONS = 3;
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final AtomicInteger TOPIC_SEQUENCE = new AtomicInteger();

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldEmitEveryMissedPeriodOnceInOrderOnEveryPartitionAfterDowntime() {
        // Given a scheduler that opened January on first start and February at its fire time
        Topic<String, CreditCommand> topic = newCommandsTopic();
        String transactionalId = "scheduler-downtime";
        MutableClock clock = new MutableClock(Instant.parse("2025-01-15T10:00:00Z"));
        ManualFireScheduler fireScheduler = new ManualFireScheduler();
        try (PeriodOpener opener = opener(topic, transactionalId, clock, 500)) {
            MonthlyResetService first = new MonthlyResetService(opener, new MonthlyCalendar(UTC), fireScheduler, clock, Duration.ofSeconds(30));
            first.start();
            assertThat(fireScheduler.nextFireTime()).isEqualTo(Instant.parse("2025-02-01T00:00:00Z"));
            clock.set(Instant.parse("2025-02-01T00:00:00Z"));
            fireScheduler.runDue(clock.instant());
            assertThat(fireScheduler.nextFireTime()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
            first.stop();
        }
        assertThat(periodIdsByPartition(topic, "read_committed"))
                .allSatisfy((partition, ids) -> assertThat(ids).containsExactly("2025-01", "2025-02"));

        // When it is down across the March and April boundaries, then restarts
        clock.set(Instant.parse("2025-04-10T08:00:00Z"));
        ManualFireScheduler afterRestart = new ManualFireScheduler();
        try (PeriodOpener opener = opener(topic, transactionalId, clock, 500)) {
            MonthlyResetService second = new MonthlyResetService(opener, new MonthlyCalendar(UTC), afterRestart, clock, Duration.ofSeconds(30));
            second.start();
            assertThat(afterRestart.nextFireTime()).isEqualTo(Instant.parse("2025-05-01T00:00:00Z"));
            second.stop();
        }

        // Then March and April are there once each, in order, on every partition, committed
        var committed = CommandsTopicReader.readAll(broker.bootstrapServers(), topic, "read_committed");
        assertThat(committed).hasSize(PARTITIONS);
        committed.forEach((partition, records) -> {
            assertThat(records).extracting(r -> periodOf(r.value()).getPeriodId())
                    .containsExactly("2025-01", "2025-02", "2025-03", "2025-04");
            assertThat(records).extracting(r -> r.value().getCommandId())
                    .containsExactly("period-2025-01", "period-2025-02", "period-2025-03", "period-2025-04");
            assertThat(records).allSatisfy(r -> {
                assertThat(r.value().getUserId()).isNull();
                assertThat(r.value().getActor()).isEqualTo("reset-scheduler");
                assertThat(periodOf(r.value()).getZone()).isEqualTo("UTC");
            });
            assertThat(records).extracting(r -> periodOf(r.value()).getStartAt()).containsExactly(
                    Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-02-01T00:00:00Z"),
                    Instant.parse("2025-03-01T00:00:00Z"), Instant.parse("2025-04-01T00:00:00Z"));
            // One transaction per period: each record is followed by its commit marker.
            assertThat(records).extracting(ConsumerRecord::offset).containsExactly(0L, 2L, 4L, 6L);
        });

        // And a second restart emits nothing
        Map<Integer, Long> endsBefore = CommandsTopicReader.endOffsets(broker.bootstrapServers(), topic);
        ManualFireScheduler afterSecondRestart = new ManualFireScheduler();
        try (PeriodOpener opener = opener(topic, transactionalId, clock, 500)) {
            MonthlyResetService third = new MonthlyResetService(opener, new MonthlyCalendar(UTC), afterSecondRestart, clock, Duration.ofSeconds(30));
            third.start();
            third.stop();
        }
        assertThat(CommandsTopicReader.endOffsets(broker.bootstrapServers(), topic)).isEqualTo(endsBefore);
        assertThat(periodIdsByPartition(topic, "read_committed"))
                .allSatisfy((partition, ids) -> assertThat(ids).hasSize(4));
    }

    @Test
    void shouldFindTheLastOpeningBehindUserCommandsAndUndecodableRecords() {
        // Given February opened, then many user commands and a malformed record on every partition
        Topic<String, CreditCommand> topic = newCommandsTopic();
        MutableClock clock = new MutableClock(Instant.parse("2025-02-03T00:00:00Z"));
        try (PeriodOpener opener = opener(topic, "scheduler-scan", clock, 2)) {
            assertThat(opener.openDuePeriods()).containsExactly(YearMonth.of(2025, 2));
        }
        writeUserCommandsAndGarbage(topic, 7);

        // When the scheduler restarts in February and again in March, scanning two records at a time
        try (PeriodOpener opener = opener(topic, "scheduler-scan", clock, 2)) {
            assertThat(opener.openDuePeriods()).as("February is found behind the user commands").isEmpty();
            clock.set(Instant.parse("2025-03-01T00:00:00Z"));
            assertThat(opener.openDuePeriods()).containsExactly(YearMonth.of(2025, 3));
        }

        // Then each period was opened exactly once per partition
        assertThat(periodIdsByPartition(topic, "read_committed"))
                .allSatisfy((partition, ids) -> assertThat(ids).containsExactly("2025-02", "2025-03"));
    }

    @Test
    void shouldNotOpenAPeriodTwiceWhenTwoInstancesRunAtOnce() {
        // Given two instances sharing the transactional id; the second fences the first
        Topic<String, CreditCommand> topic = newCommandsTopic();
        MutableClock clock = new MutableClock(Instant.parse("2025-06-20T00:00:00Z"));
        try (PeriodOpener first = opener(topic, "scheduler-pair", clock, 500);
             PeriodOpener second = opener(topic, "scheduler-pair", clock, 500)) {
            assertThat(first.openDuePeriods()).containsExactly(YearMonth.of(2025, 6));
            assertThat(second.openDuePeriods()).isEmpty();

            // When both fire at the July boundary (the fenced one first)
            clock.set(Instant.parse("2025-07-01T00:00:00Z"));
            List<YearMonth> openedByFirst = first.openDuePeriods();
            List<YearMonth> openedBySecond = second.openDuePeriods();

            // Then July is opened by exactly one of them
            assertThat(openedByFirst).containsExactly(YearMonth.of(2025, 7));
            assertThat(openedBySecond).isEmpty();
        }
        assertThat(periodIdsByPartition(topic, "read_committed"))
                .allSatisfy((partition, ids) -> assertThat(ids).containsExactly("2025-06", "2025-07"));
        assertThat(periodIdsByPartition(topic, "read_uncommitted"))
                .as("the fenced attempt left nothing, not even an aborted record")
                .allSatisfy((partition, ids) -> assertThat(ids).containsExactly("2025-06", "2025-07"));
    }

    @Test
    void shouldOpenAPeriodOnOperatorCommandAndRefuseAFuturePeriod() {
        // Given
        Topic<String, CreditCommand> topic = newCommandsTopic();
        MutableClock clock = new MutableClock(Instant.parse("2025-02-14T12:00:00Z"));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PeriodOpener opener = opener(topic, "scheduler-operator", clock, 500)) {
            SchedulerCommandLine commandLine = new SchedulerCommandLine(null, opener, new MonthlyCalendar(UTC), clock,
                    properties(), new PrintStream(output, true, StandardCharsets.UTF_8));

            // When
            commandLine.run(new DefaultApplicationArguments("open-period", "2025-02"));

            // Then
            assertThat(commandLine.oneShot()).isTrue();
            assertThat(output.toString(StandardCharsets.UTF_8)).contains("Period 2025-02 opened on 3 partitions");
            assertThatThrownBy(() -> commandLine.run(new DefaultApplicationArguments("open-period", "2025-03")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("refusing to open a future period");
            assertThatThrownBy(() -> commandLine.run(new DefaultApplicationArguments("open-period", "Feb")))
                    .hasMessageContaining("YYYY-MM");
        }
        var committed = CommandsTopicReader.readAll(broker.bootstrapServers(), topic, "read_committed");
        assertThat(committed).allSatisfy((partition, records) -> {
            assertThat(records).extracting(r -> periodOf(r.value()).getPeriodId()).containsExactly("2025-02");
            assertThat(records).extracting(r -> r.value().getReason()).containsExactly("manual open-period");
        });
    }

    @Test
    void shouldReportDownAndRetryAfterBackoffUntilTheTopicExists() {
        // Given a scheduler started before its topic was created
        Topic<String, CreditCommand> topic = Topics.CREDIT_COMMANDS.withName("credit.commands-late-" + TOPIC_SEQUENCE.incrementAndGet());
        MutableClock clock = new MutableClock(Instant.parse("2025-09-30T23:59:00Z"));
        ManualFireScheduler fireScheduler = new ManualFireScheduler();
        KafkaClientFactory clients = new KafkaClientFactory(broker.bootstrapServers(), "scheduler-late", Map.of());
        OpenedPeriodsReader reader = new OpenedPeriodsReader(topic, clients, 500, Duration.ofSeconds(2));
        try (PeriodOpener opener = new PeriodOpener(topic, clients, reader, new MonthlyCalendar(UTC), clock)) {
            MonthlyResetService service = new MonthlyResetService(opener, new MonthlyCalendar(UTC), fireScheduler, clock, Duration.ofMinutes(5));

            // When it starts
            service.start();

            // Then it reports the failure and retries after the back-off, not at the next month
            assertThat(service.status().lastFailure()).contains(topic.name());
            assertThat(new ResetSchedulerHealthIndicator(service).health().getStatus().getCode()).isEqualTo("DOWN");
            assertThat(fireScheduler.nextFireTime()).isEqualTo(Instant.parse("2025-10-01T00:04:00Z"));

            // When the topic appears and the retry fires (after the October boundary)
            broker.createTopic(topic, PARTITIONS);
            clock.set(Instant.parse("2025-10-01T00:04:00Z"));
            fireScheduler.runDue(clock.instant());

            // Then the current period is opened and the service is healthy again
            assertThat(service.status().lastFailure()).isNull();
            assertThat(service.status().openPeriod()).isEqualTo("2025-10");
            assertThat(new ResetSchedulerHealthIndicator(service).health().getStatus().getCode()).isEqualTo("UP");
            assertThat(fireScheduler.nextFireTime()).isEqualTo(Instant.parse("2025-11-01T00:00:00Z"));
            service.stop();
        }
        assertThat(periodIdsByPartition(topic, "read_committed"))
                .allSatisfy((partition, ids) -> assertThat(ids).containsExactly("2025-10"));
    }

    @Test
    void shouldOpenTheCurrentPeriodWhenTheApplicationStartsOnAnEmptyTopic() throws Exception {
        // Given the Spring Boot application wired to a fresh topic, on the system clock
        Topic<String, CreditCommand> topic = newCommandsTopic();
        String[] args = {
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--scheduler.commands-topic=" + topic.name(),
                "--scheduler.transactional-id=scheduler-app",
                "--scheduler.zone=Europe/Kyiv",
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--" + InternalToken.PROPERTY + "=" + INTERNAL_TOKEN};
        YearMonth current = new MonthlyCalendar(ZoneId.of("Europe/Kyiv")).periodAt(Instant.now());

        // When it starts
        try (ConfigurableApplicationContext context = ResetSchedulerApplication.application(args).run(args)) {

            // Then it has opened the current period on every partition, in the configured zone
            assertThat(context.getBean(SchedulerCommandLine.class).oneShot()).isFalse();
            var committed = CommandsTopicReader.readAll(broker.bootstrapServers(), topic, "read_committed");
            assertThat(committed).hasSize(PARTITIONS).allSatisfy((partition, records) -> {
                assertThat(records).extracting(r -> periodOf(r.value()).getPeriodId())
                        .containsExactly(MonthlyCalendar.periodId(current));
                assertThat(records).extracting(r -> periodOf(r.value()).getZone()).containsExactly("Europe/Kyiv");
            });

            // And the health endpoint reports the open period
            String health = httpGet("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
                    + "/actuator/health/resetScheduler");
            assertThat(health).contains("\"status\":\"UP\"").contains("\"openPeriod\":\"" + MonthlyCalendar.periodId(current) + "\"");
            String failing = httpGet("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
                    + "/actuator/metrics/reset.scheduler.failing");
            assertThat(failing).contains("\"value\":0.0");
            String prometheus = httpGet("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
                    + "/actuator/prometheus");
            assertThat(prometheus).contains("reset_scheduler_failing 0.0");
        }
    }

    private static String httpGet(String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + INTERNAL_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    private static Topic<String, CreditCommand> newCommandsTopic() {
        Topic<String, CreditCommand> topic = Topics.CREDIT_COMMANDS.withName("credit.commands-" + TOPIC_SEQUENCE.incrementAndGet());
        broker.createTopic(topic, PARTITIONS);
        return topic;
    }

    private static PeriodOpener opener(Topic<String, CreditCommand> topic, String transactionalId, MutableClock clock, int scanWindow) {
        KafkaClientFactory clients = new KafkaClientFactory(broker.bootstrapServers(), transactionalId, Map.of());
        OpenedPeriodsReader reader = new OpenedPeriodsReader(topic, clients, scanWindow, Duration.ofSeconds(30));
        return new PeriodOpener(topic, clients, reader, new MonthlyCalendar(UTC), clock);
    }

    private static SchedulerProperties properties() {
        return new SchedulerProperties("UTC", "credit.commands", "reset-scheduler", 500, Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofHours(1), 12, Map.of());
    }

    private static Map<Integer, List<String>> periodIdsByPartition(Topic<String, CreditCommand> topic, String isolationLevel) {
        var byPartition = CommandsTopicReader.readAll(broker.bootstrapServers(), topic, isolationLevel);
        assertThat(byPartition).hasSize(PARTITIONS);
        return byPartition.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                Map.Entry::getKey,
                e -> e.getValue().stream()
                        .filter(r -> r.value() != null && r.value().getCommand() instanceof PeriodOpened)
                        .map(r -> periodOf(r.value()).getPeriodId())
                        .toList()));
    }

    private static PeriodOpened periodOf(CreditCommand command) {
        assertThat(command.getCommand()).isInstanceOf(PeriodOpened.class);
        return (PeriodOpened) command.getCommand();
    }

    private static void writeUserCommandsAndGarbage(Topic<String, CreditCommand> topic, int perPartition) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, CreditCommand> commands = new KafkaProducer<>(config,
                topic.keySerde().serializer(), topic.valueSerde().serializer());
             KafkaProducer<String, byte[]> garbage = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                for (int i = 0; i < perPartition; i++) {
                    String user = "user-" + partition + "-" + i;
                    CreditCommand grant = CreditCommand.newBuilder()
                            .setCommandId("grant-" + user)
                            .setUserId(user)
                            .setActor("admin")
                            .setIssuedAt(Instant.parse("2025-02-02T00:00:00Z"))
                            .setCommand(GrantCredits.newBuilder().setPool("ai_credits").setCredits(10)
                                    .setGrantType(GrantType.TOP_UP).build())
                            .build();
                    commands.send(new ProducerRecord<>(topic.name(), partition, user, grant));
                }
                garbage.send(new ProducerRecord<>(topic.name(), partition, "bad", "not avro".getBytes(StandardCharsets.UTF_8)));
            }
            commands.flush();
            garbage.flush();
        }
    }
}
