package io.aicredits.alerts;

import io.aicredits.events.AlertKind;
import io.aicredits.events.AlertRaised;
import io.aicredits.events.SettingChanged;
import io.aicredits.schemas.Topics;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The alerts topology.
 *
 * <ul>
 *   <li>In: {@code ai.usage} and {@code credit.ledger} (key user id, co-partitioned) as raw bytes into
 *       {@link UserAlertsProcessor}; {@code ai.settings} into the global store {@link #SETTINGS_STORE}
 *       (budgets).</li>
 *   <li>Each usage's cost, once per usage id, goes through the one-partition repartition topic
 *       {@code <application.id>-platform-costs-repartition} to {@link PlatformAlertsProcessor}.</li>
 *   <li>Out: {@code ai.alerts} (key alert id, {@code AlertRaised}).</li>
 *   <li>Guarantee: {@code exactly_once_v2}: an alert and the fired-threshold state that
 *       prevents repeating it commit together.</li>
 * </ul>
 */
public final class AlertsTopology {

    public static final String USAGE_SOURCE = "alerts-usage-source";
    public static final String LEDGER_SOURCE = "alerts-ledger-source";
    public static final String SETTINGS_SOURCE = "alerts-settings-source";
    public static final String USER_PROCESSOR = "user-alerts-processor";
    public static final String PLATFORM_PROCESSOR = "platform-alerts-processor";
    public static final String SETTINGS_PROCESSOR = "alerts-settings-processor";
    public static final String PLATFORM_COSTS = "platform-costs";

    /** user id → {@link AlertState.User}. */
    public static final String USER_STORE = "user-alerts-store";
    /** usage id → wall-clock time first counted (dedup window). */
    public static final String SEEN_USAGE_STORE = "seen-usage-store";
    /** "platform" → {@link AlertState.Platform}. */
    public static final String PLATFORM_STORE = "platform-alerts-store";
    /** setting key → raw {@code SettingChanged} bytes (global). */
    public static final String SETTINGS_STORE = "alerts-settings-store";

    static final String PLATFORM_KEY = "platform";

    private AlertsTopology() {
    }

    public static Topology build(AlertsSettings settings) {
        AlertsSettings.TopicNames topics = settings.topics();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(USER_STORE), Serdes.String(),
                new JsonSerde<>(AlertState.User.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SEEN_USAGE_STORE), Serdes.String(),
                Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PLATFORM_STORE), Serdes.String(),
                new JsonSerde<>(AlertState.Platform.class)));
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SETTINGS_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                topics.settings(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(SETTINGS_SOURCE),
                SettingsProcessor::new);

        KStream<String, byte[]> usage = builder.stream(topics.usage(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(USAGE_SOURCE));
        KStream<String, byte[]> ledger = builder.stream(topics.ledger(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(LEDGER_SOURCE));
        KStream<String, Object> perUser = usage.merge(ledger, Named.as("alerts-user-inputs"))
                .process(() -> new UserAlertsProcessor(settings), Named.as(USER_PROCESSOR), USER_STORE, SEEN_USAGE_STORE);

        Produced<String, AlertRaised> toAlerts = Produced.with(Serdes.String(), Topics.AI_ALERTS.valueSerde());
        perUser.filter((k, v) -> v instanceof AlertRaised, Named.as("user-alerts-only"))
                .mapValues(v -> (AlertRaised) v, Named.as("user-alerts-cast"))
                .to(topics.alerts(), toAlerts.withName("user-alerts-sink"));
        KStream<String, Object> platform = perUser.filter((k, v) -> v instanceof Long, Named.as("platform-costs-only"))
                .mapValues(v -> (Long) v, Named.as("platform-costs-cast"))
                .repartition(Repartitioned.with(Serdes.String(), Serdes.Long()).withName(PLATFORM_COSTS).withNumberOfPartitions(1))
                .process(() -> new PlatformAlertsProcessor(settings), Named.as(PLATFORM_PROCESSOR), PLATFORM_STORE);
        platform.filter((k, v) -> v instanceof AlertRaised, Named.as("platform-alerts-only"))
                .mapValues(v -> (AlertRaised) v, Named.as("platform-alerts-cast"))
                .to(topics.alerts(), Produced.with(Serdes.String(), Topics.AI_ALERTS.valueSerde()).withName("platform-alerts-sink"));
        platform.filter((k, v) -> v instanceof SettingChanged, Named.as("platform-settings-only"))
                .mapValues(v -> (SettingChanged) v, Named.as("platform-settings-cast"))
                .to(topics.settings(), Produced.with(Serdes.String(), Topics.AI_SETTINGS.valueSerde()).withName("platform-settings-sink"));
        return builder.build();
    }

    /** Streams configuration: {@code exactly_once_v2} always (overrides cannot turn it off). */
    public static Properties config(Properties overrides) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "alerts");
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.consumerPrefix(org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.putAll(overrides);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return p;
    }

    static AlertRaised alert(AlertKind kind, String subject, String pool, String period, int threshold, long amount, long limit,
                             String message, long now) {
        String id = kind + "/" + subject + (pool == null ? "" : "/" + pool) + "/" + period + "/" + threshold;
        return AlertRaised.newBuilder()
                .setAlertId(id).setKind(kind).setSubject(subject).setPool(pool).setPeriod(period)
                .setThresholdPercent(threshold).setAmount(amount).setLimit(limit).setMessage(message)
                .setRaisedAt(Instant.ofEpochMilli(now))
                .build();
    }

    /** Keeps the latest setting bytes per key; a tombstone removes it. */
    static final class SettingsProcessor implements Processor<String, byte[], Void, Void> {
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(SETTINGS_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}
