package io.aicredits.stream;

import io.aicredits.events.AdjustCredits;
import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditCommand;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.GrantCredits;
import io.aicredits.events.GrantType;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.OperationPrice;
import io.aicredits.events.PeriodOpened;
import io.aicredits.events.ResetUser;
import io.aicredits.events.SetPlan;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.schemas.Topics;
import io.aicredits.stream.balances.BalanceView;
import io.aicredits.stream.balances.BalanceViews;
import io.aicredits.stream.credits.Account;
import io.aicredits.stream.holds.Hold;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/** A {@link TopologyTestDriver} around the metering topology with named fixtures for every event. */
final class MeteringDriver implements AutoCloseable {

    static final Instant JAN_15 = Instant.parse("2025-01-15T10:00:00Z");
    static final Instant FEB_1 = Instant.parse("2025-02-01T00:00:00Z");

    final MeteringSettings settings;
    final MeteringMetrics metrics = MeteringMetrics.inMemory();
    private final TopologyTestDriver driver;
    private final Path stateDir;
    private final TestInputTopic<String, AiRequest> requests;
    private final TestInputTopic<String, UsageEvent> usage;
    private final TestInputTopic<String, CreditCommand> commands;
    private final TestInputTopic<String, OperationPrice> prices;
    private final TestInputTopic<String, io.aicredits.events.SettingChanged> settingsTopic;
    private final Map<String, Long> settingVersions = new java.util.HashMap<>();
    private final TestOutputTopic<String, CreditDecision> decisions;
    private final TestOutputTopic<String, LedgerEntry> ledgerTopic;
    private final TestOutputTopic<byte[], byte[]> dlq;
    private final List<LedgerEntry> ledger = new ArrayList<>();
    private Instant eventTime = JAN_15;
    private int commandSeq;

    MeteringDriver() {
        this(MeteringSettings.defaults());
    }

    MeteringDriver(MeteringSettings settings) {
        this(settings, false);
    }

    /** @param atLeastOnce for long randomized runs: the driver commits after every record, which exactly-once makes slow */
    MeteringDriver(MeteringSettings settings, boolean atLeastOnce) {
        this(settings, atLeastOnce, io.aicredits.stream.limits.LimitDefaults.none());
    }

    MeteringDriver(MeteringSettings settings, io.aicredits.stream.limits.LimitDefaults limits) {
        this(settings, false, limits);
    }

    private MeteringDriver(MeteringSettings settings, boolean atLeastOnce, io.aicredits.stream.limits.LimitDefaults limits) {
        this.settings = settings;
        try {
            stateDir = Files.createTempDirectory("metering-ttd");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Properties props = MeteringStreamsConfig.create("metering-test", "unused:9092", stateDir.toString());
        if (atLeastOnce) {
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        }
        driver = new TopologyTestDriver(MeteringTopology.build(settings, metrics, limits), props, JAN_15);
        requests = driver.createInputTopic(Topics.AI_REQUESTS.name(), Serdes.String().serializer(), Topics.AI_REQUESTS.valueSerde().serializer());
        usage = driver.createInputTopic(Topics.AI_USAGE.name(), Serdes.String().serializer(), Topics.AI_USAGE.valueSerde().serializer());
        commands = driver.createInputTopic(Topics.CREDIT_COMMANDS.name(), Serdes.String().serializer(), Topics.CREDIT_COMMANDS.valueSerde().serializer());
        prices = driver.createInputTopic(Topics.CREDIT_PRICES.name(), Serdes.String().serializer(), Topics.CREDIT_PRICES.valueSerde().serializer());
        settingsTopic = driver.createInputTopic(limits.settingsTopic(), Serdes.String().serializer(),
                Topics.AI_SETTINGS.valueSerde().serializer());
        decisions = driver.createOutputTopic(Topics.AI_DECISIONS.name(), Serdes.String().deserializer(), Topics.AI_DECISIONS.valueSerde().deserializer());
        ledgerTopic = driver.createOutputTopic(Topics.CREDIT_LEDGER.name(), Serdes.String().deserializer(), Topics.CREDIT_LEDGER.valueSerde().deserializer());
        dlq = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    /** Record timestamps of the next events. */
    MeteringDriver at(Instant time) {
        this.eventTime = time;
        return this;
    }

    void advanceWallClock(Duration d) {
        driver.advanceWallClockTime(d);
    }

    // ---- requests

    CreditDecision request(String user, String requestId, String operation) {
        return request(AiRequest.newBuilder().setRequestId(requestId).setUserId(user).setOperationType(operation)
                .setRequestedAt(eventTime).build());
    }

    CreditDecision requestTokens(String user, String requestId, String operation, long estimatedTokens) {
        return request(AiRequest.newBuilder().setRequestId(requestId).setUserId(user).setOperationType(operation)
                .setEstimatedTokens(estimatedTokens).setRequestedAt(eventTime).build());
    }

    CreditDecision request(AiRequest request) {
        requests.pipeInput(request.getUserId(), request, eventTime);
        List<CreditDecision> out = decisions.readValuesToList();
        if (out.size() != 1) {
            throw new AssertionError("expected one decision for " + request.getRequestId() + ", got " + out);
        }
        return out.get(0);
    }

    // ---- usage

    void succeeded(String user, String requestId, String operation) {
        usage(user, requestId, operation, UsageStatus.SUCCEEDED, 0, 0, "usage-" + requestId);
    }

    void succeededTokens(String user, String requestId, String operation, long in, long out) {
        usage(user, requestId, operation, UsageStatus.SUCCEEDED, in, out, "usage-" + requestId);
    }

    /** A succeeded usage that carries the response its caller got (a request with a caller-chosen key). */
    void succeededWithResponse(String user, String requestId, String operation, byte[] response) {
        usage.pipeInput(user, UsageEvent.newBuilder().setId("usage-" + requestId).setRequestId(requestId).setUserId(user)
                .setModel("gpt-4o-mini").setOperationType(operation).setStatus(UsageStatus.SUCCEEDED)
                .setResponse(java.nio.ByteBuffer.wrap(response)).setCreatedAt(eventTime).build(), eventTime);
    }

    void failed(String user, String requestId, String operation) {
        usage(user, requestId, operation, UsageStatus.FAILED, 0, 0, "usage-" + requestId);
    }

    void usage(String user, String requestId, String operation, UsageStatus status, long in, long out, String usageId) {
        usage(UsageEvent.newBuilder().setId(usageId).setRequestId(requestId).setUserId(user)
                .setModel("gpt-4o-mini").setOperationType(operation).setStatus(status)
                .setTokensInput(in).setTokensOutput(out).setCreatedAt(eventTime).build());
    }

    void usage(UsageEvent event) {
        usage.pipeInput(event.getUserId(), event, eventTime);
    }

    // ---- commands

    String grant(String user, String pool, long credits, GrantType type, Instant expiresAt) {
        return command(user, GrantCredits.newBuilder().setPool(pool).setCredits(credits).setGrantType(type)
                .setExpiresAt(expiresAt).build());
    }

    String adjust(String user, String pool, long delta) {
        return command(user, AdjustCredits.newBuilder().setPool(pool).setDelta(delta).build());
    }

    String setPlan(String user, String plan) {
        return command(user, SetPlan.newBuilder().setPlan(plan).build());
    }

    String resetUser(String user) {
        return command(user, ResetUser.newBuilder().build());
    }

    String command(String user, Object body) {
        String id = "cmd-" + (++commandSeq);
        command(user, CreditCommand.newBuilder().setCommandId(id).setUserId(user).setActor("admin")
                .setIssuedAt(eventTime).setCommand(body).build());
        return id;
    }

    void command(String key, CreditCommand command) {
        commands.pipeInput(key, command, eventTime);
    }

    void periodOpened(String periodId, Instant startAt) {
        periodOpened(periodId, startAt, "UTC");
    }

    void periodOpened(String periodId, Instant startAt, String zone) {
        CreditCommand cmd = CreditCommand.newBuilder().setCommandId("period-" + periodId).setActor("reset-scheduler")
                .setIssuedAt(startAt).setCommand(PeriodOpened.newBuilder().setPeriodId(periodId).setStartAt(startAt)
                        .setZone(zone).build()).build();
        commands.pipeInput("period", cmd, eventTime);
    }

    void price(String operation, OperationPrice price) {
        prices.pipeInput(operation, price, eventTime);
    }

    /** A super admin's change of a runtime setting on {@code ai.settings}; a null value restores the default. */
    void setting(String key, String value) {
        long version = settingVersions.merge(key, 1L, Long::sum);
        settingsTopic.pipeInput(key, io.aicredits.events.SettingChanged.newBuilder().setKey(key).setValue(value)
                .setVersion(version).setChangedBy("super-admin-1").setChangedAt(eventTime).build(), eventTime);
    }

    void succeededWithCost(String user, String requestId, String operation, long in, long out, long costNanos) {
        usage.pipeInput(user, UsageEvent.newBuilder().setId("usage-" + requestId).setRequestId(requestId).setUserId(user)
                .setModel("gpt-4o").setOperationType(operation).setStatus(UsageStatus.SUCCEEDED)
                .setTokensInput(in).setTokensOutput(out).setCostUsdNanos(costNanos).setCreatedAt(eventTime).build(), eventTime);
    }

    // ---- raw input

    void pipeRaw(String topic, byte[] key, byte[] value) {
        driver.createInputTopic(topic, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
                .pipeInput(key, value, eventTime);
    }

    // ---- outputs and state

    List<CreditDecision> decisions() {
        return decisions.readValuesToList();
    }

    List<TestRecord<byte[], byte[]>> deadLetters() {
        return dlq.readRecordsToList();
    }

    /** Every ledger entry emitted so far. */
    List<LedgerEntry> ledger() {
        ledger.addAll(ledgerTopic.readValuesToList());
        return List.copyOf(ledger);
    }

    List<LedgerEntry> ledger(String user, LedgerKind kind) {
        return ledger().stream().filter(e -> e.getUserId().equals(user) && e.getKind() == kind).toList();
    }

    long ledgerSum(String user, String pool) {
        return ledger().stream().filter(e -> e.getUserId().equals(user) && e.getPool().equals(pool))
                .mapToLong(LedgerEntry::getDelta).sum();
    }

    Map<String, Long> ledgerSums() {
        return ledger().stream().collect(Collectors.groupingBy(e -> e.getUserId() + "|" + e.getPool(),
                Collectors.summingLong(LedgerEntry::getDelta)));
    }

    KeyValueStore<String, Account> balances() {
        return driver.getKeyValueStore(MeteringTopology.BALANCES_STORE);
    }

    KeyValueStore<String, CreditDecision> decisionsStore() {
        return driver.getKeyValueStore(MeteringTopology.DECISIONS_STORE);
    }

    KeyValueStore<String, Hold> holds() {
        return driver.getKeyValueStore(MeteringTopology.HOLDS_STORE);
    }

    /** What the stream recorded for a command id, or null. */
    io.aicredits.stream.processing.CommandOutcome commandOutcome(String commandId) {
        return driver.<String, io.aicredits.stream.processing.CommandOutcome>getKeyValueStore(MeteringTopology.COMMANDS_STORE)
                .get(commandId);
    }

    Account account(String user) {
        return balances().get(user);
    }

    long balance(String user, String pool) {
        return account(user).pool(pool).balance();
    }

    BalanceView view(String user, Instant now) {
        return new BalanceViews(settings).view(user, account(user), now.toEpochMilli());
    }

    @Override
    public void close() {
        driver.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
