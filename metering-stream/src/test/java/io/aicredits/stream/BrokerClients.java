package io.aicredits.stream;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.LedgerEntry;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.schemas.Topic;
import io.aicredits.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

/** Producers, read_committed consumers and streams properties for the real-broker tests. */
final class BrokerClients {

    private BrokerClients() {
    }

    static Properties streamsProps(KafkaBroker broker, String appId, java.nio.file.Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return p;
    }

    static <V> KafkaProducer<String, V> producer(KafkaBroker broker, Topic<String, V> topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        return new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** Reads everything committed on {@code topic} until {@code done} holds for what was read, or fails after {@code timeout}. */
    static <V> List<V> readCommitted(KafkaBroker broker, Topic<String, V> topic, Predicate<List<V>> done, Duration timeout) {
        List<V> values = new ArrayList<>();
        for (ConsumerRecord<String, V> r : readCommittedRecords(broker, topic,
                records -> done.test(records.stream().map(ConsumerRecord::value).toList()), timeout)) {
            values.add(r.value());
        }
        return values;
    }

    /** Like {@link #readCommitted} but keeps the records (partition, key, headers). */
    static <V> List<ConsumerRecord<String, V>> readCommittedRecords(KafkaBroker broker, Topic<String, V> topic,
                                                                    Predicate<List<ConsumerRecord<String, V>>> done, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, V>> values = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(p, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(values)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out after " + timeout + " reading " + topic + "; got " + values.size() + " records");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(values::add);
            }
            // Anything committed right after the condition held would be a duplicate: read a little more.
            for (int i = 0; i < 3; i++) {
                consumer.poll(Duration.ofMillis(300)).forEach(values::add);
            }
        }
        return values;
    }

    static AiRequest request(String user, String requestId, String operation) {
        return AiRequest.newBuilder().setRequestId(requestId).setUserId(user).setOperationType(operation)
                .setRequestedAt(Instant.now()).setMetadata(Map.of()).build();
    }

    static Topic<String, CreditDecision> decisions() {
        return Topics.AI_DECISIONS;
    }

    static Topic<String, LedgerEntry> ledger() {
        return Topics.CREDIT_LEDGER;
    }
}
