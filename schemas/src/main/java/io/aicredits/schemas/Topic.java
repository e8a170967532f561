package io.aicredits.schemas;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic together with the serdes of its keys and values. Code that produces to or
 * consumes from a topic takes one of the constants in {@link Topics}, never a raw name.
 *
 * @param name        the topic name
 * @param keySerde    serde for record keys
 * @param valueSerde  serde for record values
 * @param compacted   whether the topic is log-compacted (latest value per key kept)
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }

    /** The same topic under another name, e.g. to isolate a test or a tenant. */
    public Topic<K, V> withName(String otherName) {
        return new Topic<>(otherName, keySerde, valueSerde, compacted);
    }

    @Override
    public String toString() {
        return name;
    }
}
