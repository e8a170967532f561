package io.aicredits.bench;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Baseline B: the least an exactly-once Streams application can do per record — one get and one
 * put on a persistent (RocksDB) store, nothing written downstream.
 */
final class BaselineStreams {

    static final String STORE = "baseline-counts";

    private BaselineStreams() {
    }

    static Topology topology(String topic) {
        Topology topology = new Topology();
        topology.addSource("baseline-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topic);
        topology.addProcessor("baseline-processor", CountProcessor::new, "baseline-source");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                Serdes.String(), Serdes.Long()), "baseline-processor");
        return topology;
    }

    private static final class CountProcessor implements Processor<String, byte[], Void, Void> {
        private KeyValueStore<String, Long> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            Long count = store.get(record.key());
            store.put(record.key(), count == null ? 1L : count + 1);
        }
    }
}
