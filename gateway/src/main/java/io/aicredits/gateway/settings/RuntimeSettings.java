package io.aicredits.gateway.settings;

import io.aicredits.gateway.kafka.KafkaClientProperties;
import io.aicredits.events.SettingChanged;
import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.kafka.TopicFollower;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.EventDecodingException;
import io.aicredits.schemas.SettingKeys;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings in force on this gateway instance: every record of the compacted
 * {@code ai.settings} topic, read from the beginning by a {@link TopicFollower} (no consumer group:
 * each instance sees every change). A change applies to the next request once it has been read.
 */
public class RuntimeSettings implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RuntimeSettings.class);

    private final Map<String, SettingChanged> current = new ConcurrentHashMap<>();
    private final List<SettingChanged> history = new CopyOnWriteArrayList<>();
    private final AvroSerde<SettingChanged> serde = AvroSerdes.settingChanged();
    private final TopicFollower follower;

    RuntimeSettings(KafkaClientProperties kafka, String topic, String clientId) {
        this.follower = new TopicFollower(kafka, topic, clientId, "settings", this::apply);
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            log.error("Ignoring setting record without a key at {}-{}@{}", record.topic(), record.partition(), record.offset());
            return;
        }
        if (record.value() == null) {
            current.remove(record.key());
            return;
        }
        try {
            SettingChanged change = serde.decode(record.topic(), record.value());
            current.put(change.getKey(), change);
            history.add(change);
            log.info("Setting {} v{} by {}: {} -> {}", change.getKey(), change.getVersion(), change.getChangedBy(),
                    SettingsCatalog.mask(change.getKey(), change.getPreviousValue()),
                    SettingsCatalog.mask(change.getKey(), change.getValue()));
        } catch (EventDecodingException e) {
            log.error("Ignoring undecodable setting {} at {}-{}@{}", record.key(), record.topic(), record.partition(),
                    record.offset(), e);
        }
    }

    /** The value in force for a key, if one was set (a null value means: back to the configured default). */
    public Optional<String> value(String key) {
        SettingChanged change = current.get(key);
        return change == null ? Optional.empty() : Optional.ofNullable(change.getValue());
    }

    /** Models that have at least one {@code model_prices.<model>.<part>} value in force. */
    public java.util.Set<String> pricedModels() {
        java.util.Set<String> models = new java.util.TreeSet<>();
        current.forEach((key, change) -> {
            if (change.getValue() != null && key.startsWith(SettingKeys.MODEL_PRICES_PREFIX)) {
                String rest = key.substring(SettingKeys.MODEL_PRICES_PREFIX.length());
                models.add(rest.substring(0, rest.lastIndexOf('.')));
            }
        });
        return models;
    }

    /** Latest version of a key, 0 when it was never changed. */
    long version(String key) {
        SettingChanged change = current.get(key);
        return change == null ? 0 : change.getVersion();
    }

    /** Every setting with a value in force, by key. */
    SortedMap<String, SettingChanged> current() {
        SortedMap<String, SettingChanged> out = new TreeMap<>();
        current.forEach((k, v) -> {
            if (v.getValue() != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Every change read, oldest first (what the compacted topic still holds plus what arrived since start). */
    List<SettingChanged> history() {
        return new ArrayList<>(history);
    }

    // ---------------------------------------------------------------- what the gateway uses

    /** Model for an operation: {@code models.<operation>} if set, else the configured one. */
    public String model(String operation, String configured) {
        return value(SettingKeys.MODELS_PREFIX + operation).orElse(configured);
    }

    /** Test mode (users may reset their own credits): {@code test_mode} if set, else the configured one. */
    public boolean testMode(boolean configured) {
        return value(SettingKeys.TEST_MODE).map(Boolean::parseBoolean).orElse(configured);
    }

    /** The OpenAI API key set at runtime ({@code openai.api_key}), if any; it wins over the configured one. */
    public Optional<String> openAiApiKey() {
        return value(SettingKeys.OPENAI_API_KEY);
    }

    /** The platform's monthly AI budget ({@code budgets.platform_monthly_usd}) when one is set above zero. */
    public Optional<BigDecimal> platformMonthlyBudgetUsd() {
        return value(SettingKeys.PLATFORM_MONTHLY_BUDGET_USD).map(BigDecimal::new).filter(budget -> budget.signum() > 0);
    }

    /** A model's prices with the {@code model_prices.<model>.<part>} settings laid over the configured ones. */
    public GatewayProperties.ModelPrice price(String model, GatewayProperties.ModelPrice configured) {
        String base = SettingKeys.MODEL_PRICES_PREFIX + model + ".";
        Optional<String> in = value(base + "input_per_1k");
        Optional<String> out = value(base + "output_per_1k");
        Optional<String> minute = value(base + "per_minute");
        Optional<String> image = value(base + "per_image");
        Optional<String> cached = value(base + "cached_input_per_1k");
        if (in.isEmpty() && out.isEmpty() && minute.isEmpty() && image.isEmpty() && cached.isEmpty()) {
            return configured;
        }
        GatewayProperties.ModelPrice c = configured == null
                ? new GatewayProperties.ModelPrice(null, null, null, null) : configured;
        return new GatewayProperties.ModelPrice(
                in.map(BigDecimal::new).orElse(c.inputPer1k()), out.map(BigDecimal::new).orElse(c.outputPer1k()),
                minute.map(BigDecimal::new).orElse(c.perMinute()), image.map(BigDecimal::new).orElse(c.perImage()),
                cached.map(BigDecimal::new).orElse(c.cachedInputPer1k()));
    }

    @Override
    public void close() {
        follower.close();
    }
}
