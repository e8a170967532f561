package io.aicredits.stream;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The one place the metering stream's Kafka Streams configuration is assembled. */
public final class MeteringStreamsConfig {

    public static final String DEFAULT_APPLICATION_ID = "metering-stream";

    private MeteringStreamsConfig() {
    }

    /**
     * Base configuration; {@code overrides} (bootstrap servers, application id, state dir,
     * {@code application.server}, standby replicas, …) win over the defaults, except the
     * processing guarantee, which is always {@code exactly_once_v2}.
     */
    public static Properties create(Properties overrides) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.putAll(overrides);
        // Money: a decision, its hold and its ledger entries are committed atomically or not at all.
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return p;
    }

    /** Convenience for the common case. */
    public static Properties create(String applicationId, String bootstrapServers, String stateDir) {
        Properties o = new Properties();
        o.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        o.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        o.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        return create(o);
    }
}
