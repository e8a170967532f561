package io.aicredits.gateway.settings;

import io.aicredits.client.MeteringUnavailableException;
import io.aicredits.events.SettingChanged;
import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.security.Caller;
import io.aicredits.gateway.web.ApiException;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.SettingKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reads and changes the runtime settings. A change is one {@link SettingChanged} per key (version
 * = the key's last version + 1, who, when, old → new) on the compacted settings topic; the answer
 * comes once this instance has read it back, so the very next request uses it.
 */
class SettingsService implements AutoCloseable {

    private final RuntimeSettings settings;
    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerde<SettingChanged> serde = AvroSerdes.settingChanged();
    private final SettingsProperties properties;
    private final Set<String> operations;
    private final Map<String, String> defaults;
    private final Clock clock;

    SettingsService(RuntimeSettings settings, KafkaProducer<String, byte[]> producer, SettingsProperties properties,
                    GatewayProperties gateway, Clock clock) {
        this.settings = settings;
        this.producer = producer;
        this.properties = properties;
        Set<String> ops = new TreeSet<>(gateway.operations().keySet());
        ops.add("text_generation");
        ops.add("image_generation");
        this.operations = Set.copyOf(ops);
        this.defaults = defaults(gateway);
        this.clock = clock;
    }

    /** The configured value of every key the gateway applies itself, by key. */
    private static Map<String, String> defaults(GatewayProperties gateway) {
        Map<String, String> out = new java.util.TreeMap<>();
        gateway.operations().forEach((operation, model) -> out.put(SettingKeys.MODELS_PREFIX + operation, model));
        out.put(SettingKeys.MODELS_PREFIX + "text_generation", gateway.text().model());
        out.put(SettingKeys.MODELS_PREFIX + "image_generation", gateway.image().model());
        gateway.prices().forEach((model, price) -> {
            String base = SettingKeys.MODEL_PRICES_PREFIX + model + ".";
            putPrice(out, base + "input_per_1k", price.inputPer1k());
            putPrice(out, base + "output_per_1k", price.outputPer1k());
            putPrice(out, base + "per_minute", price.perMinute());
            putPrice(out, base + "per_image", price.perImage());
        });
        out.put(SettingKeys.TEST_MODE, Boolean.toString(gateway.security().testMode()));
        return java.util.Collections.unmodifiableMap(out);
    }

    private static void putPrice(Map<String, String> out, String key, java.math.BigDecimal usd) {
        if (usd != null) {
            out.put(key, usd.stripTrailingZeros().toPlainString());
        }
    }

    SettingsView current() {
        Map<String, SettingsView.Setting> out = new LinkedHashMap<>();
        settings.current().forEach((key, change) -> out.put(key, SettingsView.Setting.of(change)));
        return new SettingsView(out, defaults);
    }

    AuditView audit(String key) {
        List<AuditView.Change> changes = settings.history().stream()
                .filter(c -> key == null || key.equals(c.getKey()))
                .map(AuditView.Change::of)
                .toList();
        return new AuditView(changes);
    }

    /** Publishes the changed keys (unchanged values are skipped) and answers with the settings in force. */
    Mono<SettingsView> change(Caller admin, Map<String, Object> changes) {
        if (changes == null || changes.isEmpty()) {
            return Mono.error(ApiException.badRequest("Body must be a JSON object of setting key → new value (null restores the default)"));
        }
        List<SettingChanged> events = new ArrayList<>();
        long now = clock.millis();
        for (Map.Entry<String, Object> e : new java.util.TreeMap<>(changes).entrySet()) {
            String value = SettingsCatalog.validate(e.getKey(), e.getValue(), operations);
            String previous = settings.value(e.getKey()).orElse(null);
            if (Objects.equals(previous, value)) {
                continue;
            }
            events.add(SettingChanged.newBuilder()
                    .setKey(e.getKey()).setValue(value).setPreviousValue(previous)
                    .setVersion(settings.version(e.getKey()) + 1)
                    .setChangedBy(admin.userId())
                    .setChangedAt(java.time.Instant.ofEpochMilli(now))
                    .build());
        }
        return Flux.fromIterable(events)
                .concatMap(this::publish)
                .then(Flux.fromIterable(events).concatMap(this::awaitApplied).then())
                .then(Mono.fromSupplier(this::current));
    }

    private Mono<Void> publish(SettingChanged change) {
        return Mono.<Void>create(sink -> {
            try {
                producer.send(new ProducerRecord<>(properties.topic(), change.getKey(), serde.encode(change)), (meta, error) -> {
                    if (error == null) {
                        sink.success();
                    } else {
                        sink.error(new MeteringUnavailableException("Broker did not accept setting " + change.getKey()
                                + ": " + error.getMessage(), error));
                    }
                });
            } catch (KafkaException e) {
                sink.error(new MeteringUnavailableException("Cannot send setting " + change.getKey() + ": " + e.getMessage(), e));
            }
        }).publishOn(Schedulers.parallel());
    }

    private Mono<Void> awaitApplied(SettingChanged change) {
        return Flux.interval(Duration.ZERO, Duration.ofMillis(20))
                .filter(tick -> settings.version(change.getKey()) >= change.getVersion())
                .next()
                .timeout(properties.applyTimeout())
                .onErrorMap(java.util.concurrent.TimeoutException.class, e -> new ApiException(HttpStatus.GATEWAY_TIMEOUT,
                        "Setting " + change.getKey() + " was published but not read back within " + properties.applyTimeout(), e))
                .then();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
