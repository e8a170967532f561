package io.aicredits.stream;

import io.aicredits.events.CreditDecision;
import io.aicredits.events.LedgerEntry;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.Topics;
import io.aicredits.stream.credits.Account;
import io.aicredits.stream.credits.PeriodMark;
import io.aicredits.stream.holds.Hold;
import io.aicredits.stream.limits.LimitDefaults;
import io.aicredits.stream.limits.SettingsStoreProcessor;
import io.aicredits.stream.processing.MeteringProcessor;
import io.aicredits.stream.processing.RoutedDecision;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metering topology.
 *
 * <ul>
 *   <li>In: {@code ai.requests} (key user id, {@code AiRequest}), {@code ai.usage} (key user id,
 *       {@code UsageEvent}), {@code credit.commands} (key user id; {@code PeriodOpened} on every
 *       partition), all co-partitioned and read as raw bytes by one processor;
 *       {@code credit.prices} (key operation type, compacted) into a global store.</li>
 *   <li>Out: {@code ai.decisions} (key request id, {@code CreditDecision}, to the request's
 *       {@code reply_partition}), {@code credit.ledger} (key user id, {@code LedgerEntry}),
 *       {@code metering.dlq} (original bytes + {@code dlq.*} headers).</li>
 *   <li>Guarantee: {@code exactly_once_v2} (set by {@link MeteringStreamsConfig}): a decision, its
 *       hold and its ledger entries commit together or not at all.</li>
 * </ul>
 */
public final class MeteringTopology {

    public static final String REQUESTS_SOURCE = "requests-source";
    public static final String USAGE_SOURCE = "usage-source";
    public static final String COMMANDS_SOURCE = "commands-source";
    public static final String PRICES_SOURCE = "prices-source";
    public static final String METERING_PROCESSOR = "metering-processor";
    public static final String PRICES_PROCESSOR = "prices-processor";
    public static final String SETTINGS_SOURCE = "settings-source";
    public static final String SETTINGS_PROCESSOR = "settings-processor";
    public static final String DECISIONS_SINK = "decisions-sink";
    public static final String LEDGER_SINK = "ledger-sink";
    public static final String DLQ_SINK = "dlq-sink";

    /** user id → {@link Account}. Queried by {@code GET /balances/{userId}}. */
    public static final String BALANCES_STORE = "balances-store";
    /**
     * request id → {@link Hold} (open, and closed ones for the dedup window). Open holds are indexed
     * by expiry in memory, rebuilt from this store when the processor starts ({@link io.aicredits.stream.holds.Holds}).
     */
    public static final String HOLDS_STORE = "holds-store";
    /** request id → the {@code CreditDecision} sent, for the dedup window. */
    public static final String DECISIONS_STORE = "decisions-store";
    /**
     * command id → its {@link io.aicredits.stream.processing.CommandOutcome} (applied, or refused with
     * the reason), for the dedup window. Queried by {@code GET /balances/{userId}/commands/{commandId}}.
     */
    public static final String COMMANDS_STORE = "commands-store";
    /** "partition" → the latest {@link PeriodMark} opened on the task's partition. */
    public static final String PERIODS_STORE = "periods-store";
    /**
     * Index of what the dedup window forgets, by the time it became eligible:
     * {@code <20-digit millis>|<h = closed hold, d = decision, c = command>|<id>} → id.
     * The purge range-scans it up to {@code now - dedup-window}.
     */
    public static final String DEDUP_EXPIRY_STORE = "dedup-expiry-store";
    /** operation type → raw {@code OperationPrice} bytes from {@code credit.prices} (global). */
    public static final String PRICES_STORE = "prices-store";
    /** setting key → raw {@code SettingChanged} bytes from {@code ai.settings} (global): limits and budgets. */
    public static final String SETTINGS_STORE = "settings-store";

    private static final Logger log = LoggerFactory.getLogger(MeteringTopology.class);

    private MeteringTopology() {
    }

    public static Topology build(MeteringSettings settings) {
        return build(settings, MeteringMetrics.inMemory());
    }

    public static Topology build(MeteringSettings settings, MeteringMetrics metrics) {
        return build(settings, metrics, LimitDefaults.none());
    }

    /** @param limits default per-user token limit and USD budget (runtime overrides come from {@code ai.settings}) */
    public static Topology build(MeteringSettings settings, MeteringMetrics metrics, LimitDefaults limits) {
        MeteringSettings.TopicNames topics = settings.topics();
        Topology topology = new Topology();

        topology.addSource(REQUESTS_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topics.requests());
        topology.addSource(USAGE_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topics.usage());
        topology.addSource(COMMANDS_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topics.commands());
        topology.addProcessor(METERING_PROCESSOR, () -> new MeteringProcessor(settings, metrics, limits),
                REQUESTS_SOURCE, USAGE_SOURCE, COMMANDS_SOURCE);

        topology.addStateStore(persistent(BALANCES_STORE, StateSerde.account()), METERING_PROCESSOR);
        topology.addStateStore(persistent(HOLDS_STORE, StateSerde.hold()), METERING_PROCESSOR);
        topology.addStateStore(persistent(DECISIONS_STORE, AvroSerdes.creditDecision()), METERING_PROCESSOR);
        topology.addStateStore(persistent(COMMANDS_STORE, StateSerde.commandOutcome()), METERING_PROCESSOR);
        topology.addStateStore(persistent(PERIODS_STORE, StateSerde.periodMark()), METERING_PROCESSOR);
        topology.addStateStore(persistent(DEDUP_EXPIRY_STORE, Serdes.String()), METERING_PROCESSOR);

        // Global stores are restored straight from their topic, so the store holds the topic's own bytes.
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PRICES_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                PRICES_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.prices(),
                PRICES_PROCESSOR, PricesProcessor::new);
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SETTINGS_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                SETTINGS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), limits.settingsTopic(),
                SETTINGS_PROCESSOR, () -> new SettingsStoreProcessor(SETTINGS_STORE));

        Serializer<RoutedDecision> decisionSerializer = (topic, routed) ->
                Topics.AI_DECISIONS.valueSerde().serializer().serialize(topic, routed.decision());
        topology.addSink(DECISIONS_SINK, topics.decisions(), Serdes.String().serializer(), decisionSerializer,
                new ReplyPartitioner(), METERING_PROCESSOR);
        topology.addSink(LEDGER_SINK, topics.ledger(), Topics.CREDIT_LEDGER.keySerde().serializer(),
                Topics.CREDIT_LEDGER.valueSerde().serializer(), METERING_PROCESSOR);
        topology.addSink(DLQ_SINK, topics.deadLetters(), Topics.DEAD_LETTERS.keySerde().serializer(),
                Topics.DEAD_LETTERS.valueSerde().serializer(), METERING_PROCESSOR);
        return topology;
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> persistent(String name, org.apache.kafka.common.serialization.Serde<V> serde) {
        // Persistent RocksDB with a changelog (logging is on by default): state survives crashes and moves with its task.
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), serde);
    }

    /** Sends each decision to the partition its request asked for, or partitions by key when none was given. */
    static final class ReplyPartitioner implements StreamPartitioner<String, RoutedDecision> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, RoutedDecision value, int numPartitions) {
            Integer p = value.replyPartition();
            if (p == null) {
                return Optional.empty();
            }
            if (p < 0 || p >= numPartitions) {
                log.warn("Reply partition {} of request {} is outside {} (0..{}); partitioning by key", p, key, topic,
                        numPartitions - 1);
                return Optional.empty();
            }
            return Optional.of(Set.of(p));
        }
    }

    /** Keeps the latest price override per operation; a tombstone restores the configured default. */
    static final class PricesProcessor implements Processor<String, byte[], Void, Void> {
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(PRICES_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null) {
                log.error("Ignoring price override without an operation-type key");
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
