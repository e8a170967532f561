package io.aicredits.scheduler;

import io.aicredits.events.CreditCommand;
import io.aicredits.events.PeriodOpened;
import io.aicredits.schemas.MonthlyCalendar;
import io.aicredits.schemas.Topic;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the latest period opened on each partition of the commands topic by reading the topic
 * itself (no local state): each partition is scanned backwards from its last stable offset in
 * windows of {@code windowSize} records, with {@code isolation.level=read_committed}, until a
 * window holds a {@code PeriodOpened} or the start of the partition is reached.
 */
final class OpenedPeriodsReader {

    private static final Logger log = LoggerFactory.getLogger(OpenedPeriodsReader.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Topic<String, CreditCommand> topic;
    private final KafkaClientFactory clients;
    private final int windowSize;
    private final Duration timeout;

    OpenedPeriodsReader(Topic<String, CreditCommand> topic, KafkaClientFactory clients, int windowSize, Duration timeout) {
        if (windowSize < 1) {
            throw new IllegalArgumentException("windowSize must be positive: " + windowSize);
        }
        this.topic = topic;
        this.clients = clients;
        this.windowSize = windowSize;
        this.timeout = timeout;
    }

    /** Partition number → latest period opened on it (by period, not by offset). */
    SortedMap<Integer, Optional<YearMonth>> latestByPartition() {
        try (Consumer<String, byte[]> consumer = clients.committedReader()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic.name(), timeout);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("Topic " + topic.name() + " does not exist or has no partitions");
            }
            SortedMap<Integer, Optional<YearMonth>> latest = new TreeMap<>();
            for (PartitionInfo info : partitions) {
                TopicPartition partition = new TopicPartition(info.topic(), info.partition());
                latest.put(info.partition(), latestOn(consumer, partition));
            }
            return latest;
        }
    }

    private Optional<YearMonth> latestOn(Consumer<String, byte[]> consumer, TopicPartition partition) {
        consumer.assign(List.of(partition));
        long beginning = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
        // With read_committed this is the last stable offset: open transactions are not read.
        long windowEnd = consumer.endOffsets(List.of(partition), timeout).get(partition);
        while (windowEnd > beginning) {
            long windowStart = Math.max(beginning, windowEnd - windowSize);
            Optional<YearMonth> found = latestInWindow(consumer, partition, windowStart, windowEnd);
            if (found.isPresent()) {
                return found;
            }
            windowEnd = windowStart;
        }
        return Optional.empty();
    }

    private Optional<YearMonth> latestInWindow(Consumer<String, byte[]> consumer, TopicPartition partition, long from, long to) {
        consumer.seek(partition, from);
        Optional<YearMonth> latest = Optional.empty();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition, timeout) < to) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out reading " + partition + " from offset " + from + " to " + to);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL).records(partition)) {
                if (record.offset() >= to) {
                    break;
                }
                Optional<YearMonth> period = periodOpenedIn(record);
                if (period.isPresent() && (latest.isEmpty() || period.get().isAfter(latest.get()))) {
                    latest = period;
                }
            }
        }
        return latest;
    }

    private Optional<YearMonth> periodOpenedIn(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return Optional.empty();
        }
        CreditCommand command;
        try {
            command = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            // Not ours to dead-letter (the stream does that); it just cannot be a period opening.
            log.warn("Skipping undecodable record at {}-{}@{} while looking for PeriodOpened: {}",
                    record.topic(), record.partition(), record.offset(), e.toString());
            return Optional.empty();
        }
        if (command != null && command.getCommand() instanceof PeriodOpened opened) {
            try {
                return Optional.of(MonthlyCalendar.parsePeriodId(opened.getPeriodId()));
            } catch (IllegalArgumentException e) {
                log.warn("Ignoring PeriodOpened with malformed period id at {}-{}@{}: {}",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
        return Optional.empty();
    }
}
