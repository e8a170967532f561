package io.aicredits.alerts;

import io.aicredits.events.AlertRaised;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.SettingChanged;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.schemas.Topics;
import io.aicredits.schemas.UsdNanos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** A {@link TopologyTestDriver} around the alerts topology with named fixtures. */
final class AlertsDriver implements AutoCloseable {

    static final Instant JAN_15 = Instant.parse("2025-01-15T10:00:00Z");

    private final TopologyTestDriver driver;
    private final Path stateDir;
    private final TestInputTopic<String, UsageEvent> usage;
    private final TestInputTopic<String, LedgerEntry> ledger;
    private final TestInputTopic<String, SettingChanged> settings;
    private final TestOutputTopic<String, AlertRaised> alerts;
    private final TestOutputTopic<String, SettingChanged> settingsOut;
    private Instant time = JAN_15;
    private int seq;
    private long settingVersion;

    AlertsDriver(AlertsSettings alertsSettings) {
        try {
            stateDir = Files.createTempDirectory("alerts-ttd");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "alerts-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(AlertsTopology.build(alertsSettings), AlertsTopology.config(props), JAN_15);
        usage = driver.createInputTopic(Topics.AI_USAGE.name(), Serdes.String().serializer(), Topics.AI_USAGE.valueSerde().serializer());
        ledger = driver.createInputTopic(Topics.CREDIT_LEDGER.name(), Serdes.String().serializer(),
                Topics.CREDIT_LEDGER.valueSerde().serializer());
        settings = driver.createInputTopic(Topics.AI_SETTINGS.name(), Serdes.String().serializer(),
                Topics.AI_SETTINGS.valueSerde().serializer());
        alerts = driver.createOutputTopic(Topics.AI_ALERTS.name(), Serdes.String().deserializer(),
                Topics.AI_ALERTS.valueSerde().deserializer());
        settingsOut = driver.createOutputTopic(Topics.AI_SETTINGS.name(), Serdes.String().deserializer(),
                Topics.AI_SETTINGS.valueSerde().deserializer());
    }

    /** Settings the topology itself wrote (the platform budget exhausted marker). */
    List<SettingChanged> settingsWritten() {
        return settingsOut.readValuesToList();
    }

    AlertsDriver at(Instant t) {
        this.time = t;
        return this;
    }

    /** A succeeded usage costing {@code usd} dollars (e.g. "1.50"). */
    String cost(String user, String usd) {
        String id = "usage-" + (++seq);
        cost(user, id, usd);
        return id;
    }

    void cost(String user, String usageId, String usd) {
        usage.pipeInput(user, UsageEvent.newBuilder().setId(usageId).setRequestId("req-" + usageId).setUserId(user)
                .setModel("gpt-4o").setOperationType("ai_summary").setStatus(UsageStatus.SUCCEEDED)
                .setCostUsdNanos(UsdNanos.fromUsd(new java.math.BigDecimal(usd))).setCreatedAt(time).build(), time);
    }

    void ledger(String user, String pool, LedgerKind kind, long delta, long balanceAfter) {
        ledger.pipeInput(user, LedgerEntry.newBuilder().setEntryId("e-" + (++seq)).setUserId(user).setPool(pool).setKind(kind)
                .setDelta(delta).setBalanceAfter(balanceAfter).setCauseId("c-" + seq).setCreatedAt(time).build(), time);
    }

    void setting(String key, String value) {
        settings.pipeInput(key, SettingChanged.newBuilder().setKey(key).setValue(value).setVersion(++settingVersion)
                .setChangedBy("root").setChangedAt(time).build(), time);
    }

    List<AlertRaised> alerts() {
        return alerts.readValuesToList();
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
