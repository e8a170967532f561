package io.aicredits.scheduler;

import io.aicredits.events.CreditCommand;
import io.aicredits.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/** Test helper: everything on a commands topic, per partition, at a given isolation level. */
final class CommandsTopicReader {

    private CommandsTopicReader() {
    }

    static SortedMap<Integer, List<ConsumerRecord<String, CreditCommand>>> readAll(
            String bootstrapServers, Topic<String, CreditCommand> topic, String isolationLevel) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, CreditCommand> consumer = new KafkaConsumer<>(config,
                topic.keySerde().deserializer(), undecodableAsNull(topic.valueSerde().deserializer()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Read up to the high watermark, not the consumer's own end offset: under read_committed that is
            // the last stable offset, which trails a just-committed transaction until its markers are written.
            Map<Integer, Long> highWatermarks = endOffsets(bootstrapServers, topic);
            Map<TopicPartition, Long> ends = new HashMap<>();
            partitions.forEach(p -> ends.put(p, highWatermarks.get(p.partition())));
            SortedMap<Integer, List<ConsumerRecord<String, CreditCommand>>> byPartition = new TreeMap<>();
            partitions.forEach(p -> byPartition.put(p.partition(), new ArrayList<>()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Timed out reading " + topic.name());
                }
                consumer.poll(Duration.ofMillis(200))
                        .forEach(record -> byPartition.get(record.partition()).add(record));
            }
            return byPartition;
        }
    }

    /** Tests write deliberately malformed records; they read back as null values. */
    private static Deserializer<CreditCommand> undecodableAsNull(Deserializer<CreditCommand> delegate) {
        return (topicName, data) -> {
            try {
                return delegate.deserialize(topicName, data);
            } catch (SerializationException e) {
                return null;
            }
        };
    }

    static Map<Integer, Long> endOffsets(String bootstrapServers, Topic<String, CreditCommand> topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaConsumer<String, CreditCommand> consumer = new KafkaConsumer<>(config,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            Map<Integer, Long> ends = new TreeMap<>();
            consumer.endOffsets(partitions).forEach((p, offset) -> ends.put(p.partition(), offset));
            return ends;
        }
    }
}
