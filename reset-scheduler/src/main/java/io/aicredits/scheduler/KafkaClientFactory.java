package io.aicredits.scheduler;

import io.aicredits.events.CreditCommand;
import io.aicredits.schemas.Topic;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Builds the scheduler's Kafka clients: one transactional producer, one read_committed reader. */
final class KafkaClientFactory {

    private final String bootstrapServers;
    private final String transactionalId;
    private final Map<String, String> extraProperties;

    KafkaClientFactory(String bootstrapServers, String transactionalId, Map<String, String> extraProperties) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.transactionalId = Objects.requireNonNull(transactionalId, "transactionalId");
        this.extraProperties = Map.copyOf(extraProperties);
    }

    String transactionalId() {
        return transactionalId;
    }

    /**
     * A transactional producer. Every scheduler instance uses the same {@code transactional.id}:
     * initialising it fences any older instance and aborts its unfinished transaction.
     */
    Producer<String, CreditCommand> transactionalProducer(Topic<String, CreditCommand> topic) {
        return new KafkaProducer<>(producerConfig(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    Map<String, Object> producerConfig() {
        Map<String, Object> config = common();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId + "-producer");
        return config;
    }

    /**
     * A consumer without a group that sees committed records only. Values stay raw bytes so
     * that a malformed record written by someone else cannot stop the scan.
     */
    Consumer<String, byte[]> committedReader() {
        return new KafkaConsumer<>(readerConfig(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    Map<String, Object> readerConfig() {
        Map<String, Object> config = common();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, transactionalId + "-reader");
        return config;
    }

    private Map<String, Object> common() {
        Map<String, Object> config = new HashMap<>(extraProperties);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }
}
