package io.aicredits.sink.ingest;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.clickhouse.ClickHouseAccessException;
import io.aicredits.analytics.rows.ClickHouseRowWriter;
import io.aicredits.analytics.rows.LedgerRowMapper;
import io.aicredits.analytics.rows.MappedRow;
import io.aicredits.analytics.rows.RejectedRowsException;
import io.aicredits.analytics.rows.RowMapper;
import io.aicredits.analytics.rows.UnmappableEventException;
import io.aicredits.analytics.rows.UsageRowMapper;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.DeadLetters;
import io.aicredits.schemas.EventDecodingException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies {@code ai.usage} into {@code ai_usage_logs} and {@code credit.ledger} into
 * {@code credit_ledger}, in batches bounded by size and age, effectively once.
 *
 * <p><b>Positions live in ClickHouse.</b> Every row stores its Kafka partition and offset. When a
 * partition is assigned, and after any failure, the sink pauses it, reads
 * {@code max(kafka_offset)} for it from the table and seeks to the next offset (or to the
 * beginning when the table holds nothing of it). Kafka offset commits are made after each flush
 * but only for monitoring; they are never used to position. So a crash at any point — before,
 * during or after an insert, before or after a commit — resumes exactly after the last row
 * ClickHouse holds: nothing is lost and nothing is inserted twice.
 *
 * <p>This holds because each insert is atomic: it carries rows of one Kafka partition, in offset
 * order, of one month (one table partition), in one request small enough to be one block (see
 * {@link ClickHouseRowWriter}). The daily aggregate is fed by a materialized view on the same
 * insert, so it follows the raw table exactly.
 *
 * <p><b>ClickHouse unreachable:</b> the failed batch and everything read after it are dropped from
 * memory (Kafka still has them),
 * every assigned partition is paused (nothing new is consumed, nothing committed) and positions
 * are re-read from ClickHouse with exponential back-off bounded by {@code maxBackoff}, forever;
 * when they can be read again the partitions resume from there. Positions are only re-read once
 * ClickHouse lists no insert of this sink for the partition in {@code system.processes}, so an
 * insert whose reply was lost cannot be repeated.
 *
 * <p><b>Unmappable records</b> (corrupt bytes, unknown schema, values the columns cannot hold) go
 * to the dead-letter topic with {@link DeadLetters} headers before the sink moves past them. They
 * have no row, so one seen again after a crash or outage is dead-lettered again (at least once).
 *
 * <p><b>Rows ClickHouse refuses as invalid</b> ({@link RejectedRowsException}: the server answered,
 * and said no for good) are not an outage: the refused insert wrote nothing, so its rows are
 * inserted again one by one, in offset order, and each row refused again goes to the dead-letter
 * topic with the server's reason. Only failures of unknown outcome pause and retry.
 *
 * <p><b>Threads.</b> One thread owns the consumer: it reads and, when a batch is due, hands every
 * partition's pending records to the insert threads (one task per partition, running
 * concurrently), which decode, map, dead-letter and insert them, while it goes on reading the next
 * batch. At most one hand-off
 * is in flight: the next waits until the previous one has finished, so a partition's inserts never
 * overlap and stay in offset order. A failure in any of them pauses everything as above, and
 * positions are re-read only after every insert handed off has finished. {@link #start()} starts
 * the consuming thread and {@link #close()} flushes and stops it.
 */
public final class UsageSink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UsageSink.class);
    private static final String FAILED_BY = "usage-sink";
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    private final SinkSettings settings;
    private final ClickHouseRowWriter writer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetterProducer;
    private final Map<String, Source<?>> sources = new HashMap<>();
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private final Set<TopicPartition> unpositioned = new LinkedHashSet<>();
    private final Thread thread;
    /** Runs the inserts of a hand-off, one task per partition. */
    private final ExecutorService inserts;
    private final KafkaClientMetrics consumerMetrics;

    private final MeterRegistry registry;
    private final Counter retries;
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong clickHouseDown = new AtomicLong();
    private final AtomicLong pendingGauge = new AtomicLong();

    private volatile boolean running;
    private volatile Throwable failure;
    private int pendingRows;
    /** The rows handed to the insert threads and not yet known to be written; at most one hand-off at a time. */
    private InFlight inFlight;
    private long oldestPendingNanos;
    private long nextAttemptNanos;
    private Duration backoff;

    /**
     * @param kafka      client settings shared by the consumer and the dead-letter producer (at
     *                   least {@code bootstrap.servers})
     * @param clickHouse client-v2 client on the database holding the tables (not closed here)
     */
    public UsageSink(SinkSettings settings, Map<String, Object> kafka, Client clickHouse, MeterRegistry registry) {
        this(settings, kafka, kafka, clickHouse, registry);
    }

    /**
     * @param consumerBase consumer settings; group, offset handling, isolation and
     *                     deserializers are set by the sink
     * @param producerBase dead-letter producer settings; acks and idempotence are set by the sink
     * @param clickHouse   client-v2 client on the database holding the tables (not closed here)
     */
    public UsageSink(SinkSettings settings, Map<String, Object> consumerBase, Map<String, Object> producerBase,
                     Client clickHouse, MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
        this.writer = new ClickHouseRowWriter(clickHouse, settings.insertTimeout());
        this.backoff = settings.initialBackoff();
        register(new Source<>(settings.usageTopic(), AvroSerdes.usageEvent(), new UsageRowMapper()));
        register(new Source<>(settings.ledgerTopic(), AvroSerdes.ledgerEntry(), new LedgerRowMapper()));

        Map<String, Object> consumerConfig = new HashMap<>(consumerBase);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The ledger is written in Kafka transactions: aborted entries must never reach the table.
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(settings.batchMaxRows(), 5000));
        consumerConfig.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-consumer");
        this.consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());

        Map<String, Object> producerConfig = new HashMap<>(producerBase);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-dlq");
        this.deadLetterProducer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());

        this.retries = Counter.builder("usage.sink.clickhouse.retries")
                .description("ClickHouse attempts that failed and were scheduled again").register(registry);
        Gauge.builder("usage.sink.lag", lag, AtomicLong::get)
                .description("Records in assigned partitions not yet read (sum over partitions)").register(registry);
        Gauge.builder("usage.sink.clickhouse.unavailable", clickHouseDown, AtomicLong::get)
                .description("1 while partitions are paused because ClickHouse failed").register(registry);
        Gauge.builder("usage.sink.pending.rows", pendingGauge, AtomicLong::get)
                .description("Records read and not yet handed to the insert threads").register(registry);
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(registry);
        this.thread = new Thread(this::run, "usage-sink");
        AtomicInteger insertThreads = new AtomicInteger();
        this.inserts = Executors.newCachedThreadPool(task -> {
            Thread insertThread = new Thread(task, "usage-sink-insert-" + insertThreads.incrementAndGet());
            insertThread.setDaemon(true);
            return insertThread;
        });
    }

    private <V extends SpecificRecord> void register(Source<V> source) {
        sources.put(source.topic(), source);
    }

    public void start() {
        running = true;
        thread.start();
    }

    /** Whether the consuming thread is alive. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** False while partitions are paused because ClickHouse failed. */
    public boolean isClickHouseAvailable() {
        return clickHouseDown.get() == 0;
    }

    /** Records in assigned partitions not yet read, as of the last poll. */
    public long lag() {
        return lag.get();
    }

    /** Why the consuming thread stopped on its own, if it did. */
    public Throwable failure() {
        return failure;
    }

    /** Flushes what is pending (if ClickHouse takes it) and stops. */
    @Override
    public void close() {
        running = false;
        if (thread.getState() == Thread.State.NEW) {
            // Never started: the clients were not handed to the consuming thread.
            consumerMetrics.close();
            consumer.close();
            deadLetterProducer.close();
            inserts.shutdown();
            return;
        }
        consumer.wakeup();
        try {
            thread.join(2 * settings.insertTimeout().toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inserts.shutdown();
        consumerMetrics.close();
    }

    private void run() {
        try (consumer; deadLetterProducer) {
            consumer.subscribe(List.copyOf(sources.keySet()), new Rebalance());
            while (running) {
                try {
                    step();
                } catch (WakeupException e) {
                    if (running) {
                        throw e;
                    }
                }
            }
            flush(); // a clean stop leaves nothing to re-read
            awaitInFlight();
        } catch (RuntimeException | Error e) {
            failure = e;
            log.error("Usage sink stopped by an unexpected error", e);
            throw e;
        }
    }

    private void step() {
        if (!unpositioned.isEmpty() && System.nanoTime() - nextAttemptNanos >= 0) {
            reposition();
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
            accept(record);
        }
        if (inFlight != null && inFlight.done().isDone()) {
            awaitInFlight(); // commits it, or notices the failure before reading more
        }
        if (pendingRows >= settings.batchMaxRows()
                || (pendingRows > 0 && System.nanoTime() - oldestPendingNanos >= settings.batchMaxDelay().toNanos())) {
            flush();
        }
        updateLag();
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PartitionState state = partitions.get(tp);
        if (state == null || !state.positioned) {
            return; // fetched before the partition was paused or revoked; it will be read again
        }
        // Decoded and mapped later, on the partition's insert thread.
        state.pending.add(record);
        if (pendingRows++ == 0) {
            oldestPendingNanos = System.nanoTime();
        }
        pendingGauge.set(pendingRows);
        state.lastOffset = record.offset();
    }

    /**
     * Sends a record to the dead-letter topic and waits for the ack (on an insert thread: the
     * producer is thread-safe).
     *
     * @throws DeadLetterFailedException when the send failed
     */
    private void deadLetter(ConsumerRecord<byte[], byte[]> record, RuntimeException reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetters.describe(headers, reason.getMessage(), reason, record.topic(), record.partition(),
                record.offset(), FAILED_BY);
        try {
            deadLetterProducer.send(new ProducerRecord<>(settings.deadLetterTopic(), null, record.key(),
                    record.value(), headers)).get(settings.insertTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new DeadLetterFailedException(record, e);
        }
        registry.counter("usage.sink.dead.letters", "topic", record.topic()).increment();
        log.warn("Dead-lettered {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason.getMessage());
    }

    /**
     * Hands every partition's pending records to the insert threads, once the previous hand-off
     * has finished: so a partition's inserts never overlap and stay in offset order, and what
     * ClickHouse holds of a partition is always a prefix of its offsets. The consuming thread goes
     * on reading while they map and insert.
     */
    private void flush() {
        awaitInFlight();
        if (pendingRows == 0) {
            return;
        }
        Map<TopicPartition, Long> next = new HashMap<>();
        List<CompletableFuture<Void>> tasks = new ArrayList<>();
        for (Map.Entry<TopicPartition, PartitionState> entry : partitions.entrySet()) {
            PartitionState state = entry.getValue();
            if (state.pending.isEmpty()) {
                continue;
            }
            Handoff handoff = new Handoff(entry.getKey(), state.source, state.pending);
            state.pending = new ArrayList<>();
            next.put(entry.getKey(), state.lastOffset + 1);
            tasks.add(CompletableFuture.runAsync(() -> write(handoff), inserts));
        }
        pendingRows = 0;
        pendingGauge.set(0);
        inFlight = new InFlight(next, CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)));
    }

    /**
     * Waits for the hand-off in flight, if any: when every partition's rows were written, commits
     * their offsets (informational); when something failed, pauses and re-reads positions.
     */
    private void awaitInFlight() {
        if (inFlight == null) {
            return;
        }
        InFlight done = inFlight;
        inFlight = null;
        try {
            done.done().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof ClickHouseAccessException || cause instanceof DeadLetterFailedException) {
                failed(cause instanceof DeadLetterFailedException ? "dead-letter send" : "insert", (Exception) cause);
                return;
            }
            throw e; // a bug, not an outage: stop with it
        }
        backoff = settings.initialBackoff();
        commit(done.nextOffsets());
    }

    /**
     * On an insert thread: one partition's records, in offset order, mapped to rows (those that
     * cannot be go to the dead-letter topic) and inserted in same-month runs, one after the other.
     */
    private void write(Handoff handoff) {
        String table = handoff.source().mapper().table();
        List<MappedRow> rows = new ArrayList<>(handoff.records().size());
        for (ConsumerRecord<byte[], byte[]> record : handoff.records()) {
            try {
                rows.add(handoff.source().map(record));
            } catch (EventDecodingException | UnmappableEventException e) {
                deadLetter(record, e);
            }
        }
        for (List<MappedRow> run : Batches.splitByMonth(rows)) {
            try {
                writer.insert(table, handoff.partition().partition(), run);
                registry.counter("usage.sink.rows.written", "table", table).increment(run.size());
                DistributionSummary.builder("usage.sink.batch.size").tag("table", table)
                        .description("Rows per insert").register(registry).record(run.size());
            } catch (RejectedRowsException rejected) {
                log.warn("{}; inserting its rows one by one", rejected.getMessage());
                insertOneByOne(handoff, run);
            }
        }
    }

    /**
     * The rows of a refused insert, each on its own: written, or refused again and dead-lettered.
     *
     * @throws DeadLetterFailedException when a dead-letter send failed (then everything is paused
     *                                   and re-read, as after an outage)
     */
    private void insertOneByOne(Handoff handoff, List<MappedRow> run) {
        String table = handoff.source().mapper().table();
        Map<Long, ConsumerRecord<byte[], byte[]>> byOffset = new HashMap<>();
        handoff.records().forEach(record -> byOffset.put(record.offset(), record));
        for (MappedRow row : run) {
            try {
                writer.insert(table, handoff.partition().partition(), List.of(row));
                registry.counter("usage.sink.rows.written", "table", table).increment();
            } catch (RejectedRowsException rejected) {
                registry.counter("usage.sink.rows.rejected", "table", table).increment();
                deadLetter(byOffset.get(row.offset()), rejected);
            }
        }
    }

    /** Informational: lets `kafka-consumer-groups` show progress. Positions come from ClickHouse. */
    private void commit(Map<TopicPartition, Long> nextOffsets) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        nextOffsets.forEach((tp, next) -> {
            PartitionState state = partitions.get(tp);
            if (state != null && state.positioned && next > state.committed) {
                offsets.put(tp, new OffsetAndMetadata(next));
                state.committed = next;
            }
        });
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, e) -> {
                if (e != null) {
                    log.debug("Informational offset commit failed: {}", e.toString());
                }
            });
        }
    }

    /**
     * Something failed with an unknown outcome: forget everything pending, pause every partition
     * and re-read positions from ClickHouse after a back-off.
     */
    private void failed(String what, Exception e) {
        if (inFlight != null) {
            // Positions are re-read only once no insert of ours can still be on its way to ClickHouse.
            InFlight running = inFlight;
            inFlight = null;
            try {
                running.done().join();
            } catch (CompletionException alsoFailed) {
                log.warn("Inserts handed off before the failure failed too: {}", String.valueOf(alsoFailed.getCause()));
            }
        }
        retries.increment();
        log.warn("Usage sink {} failed; pausing {} partitions and re-reading positions from ClickHouse in {} ms: {}",
                what, partitions.size(), backoff.toMillis(), e.toString());
        partitions.forEach((tp, state) -> {
            state.pending = new ArrayList<>();
            state.positioned = false;
            unpositioned.add(tp);
        });
        pendingRows = 0;
        pendingGauge.set(0);
        consumer.pause(partitions.keySet());
        clickHouseDown.set(1);
        scheduleNextAttempt();
    }

    private void scheduleNextAttempt() {
        nextAttemptNanos = System.nanoTime() + backoff.toNanos();
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
    }

    /** Seeks every unpositioned partition to the offset after the last row ClickHouse holds. */
    private void reposition() {
        try {
            Set<String> running = writer.insertsRunning();
            Map<String, List<TopicPartition>> byTopic = new HashMap<>();
            for (TopicPartition tp : unpositioned) {
                String table = partitions.get(tp).source.mapper().table();
                if (running.contains(table + ":" + tp.partition())) {
                    throw new ClickHouseAccessException("an earlier insert into " + table + " for partition "
                            + tp.partition() + " is still running", null);
                }
                byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp);
            }
            List<TopicPartition> resumed = new ArrayList<>();
            for (Map.Entry<String, List<TopicPartition>> entry : byTopic.entrySet()) {
                Source<?> source = sources.get(entry.getKey());
                Map<Integer, Long> max = writer.maxOffsets(source.mapper().table(),
                        entry.getValue().stream().map(TopicPartition::partition).toList());
                for (TopicPartition tp : entry.getValue()) {
                    Long stored = max.get(tp.partition());
                    PartitionState state = partitions.get(tp);
                    if (stored == null) {
                        consumer.seekToBeginning(List.of(tp));
                        state.lastOffset = -1;
                    } else {
                        consumer.seek(tp, stored + 1);
                        state.lastOffset = stored;
                    }
                    state.positioned = true;
                    resumed.add(tp);
                    log.info("{} resumes at {} (ClickHouse holds up to {})", tp,
                            stored == null ? "the beginning" : stored + 1, stored);
                }
            }
            unpositioned.clear();
            consumer.resume(resumed);
            clickHouseDown.set(0);
            backoff = settings.initialBackoff();
        } catch (ClickHouseAccessException e) {
            retries.increment();
            clickHouseDown.set(1);
            log.warn("Cannot read positions from ClickHouse; next try in {} ms: {}", backoff.toMillis(), e.getMessage());
            scheduleNextAttempt();
        }
    }

    private void updateLag() {
        long total = 0;
        for (Map.Entry<TopicPartition, PartitionState> entry : partitions.entrySet()) {
            if (entry.getValue().positioned) {
                total += consumer.currentLag(entry.getKey()).orElse(0);
            }
        }
        lag.set(total);
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (pendingRows > 0) {
                flush(); // saves re-reading; if it fails, the next owner re-reads from ClickHouse anyway
            }
            awaitInFlight(); // the next owner must not read positions while an insert of ours is on its way
            forget(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            awaitInFlight();
            forget(lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            for (TopicPartition tp : assigned) {
                partitions.put(tp, new PartitionState(sources.get(tp.topic())));
                unpositioned.add(tp);
            }
            consumer.pause(assigned);
            nextAttemptNanos = System.nanoTime();
        }

        private void forget(Collection<TopicPartition> gone) {
            for (TopicPartition tp : gone) {
                PartitionState state = partitions.remove(tp);
                if (state != null) {
                    pendingRows -= state.pending.size();
                }
                unpositioned.remove(tp);
            }
            pendingGauge.set(pendingRows);
        }
    }

    private static final class PartitionState {
        final Source<?> source;
        /** Records read and not yet handed to the insert threads, in offset order. */
        List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
        boolean positioned;
        long lastOffset = -1;
        long committed = -1;

        PartitionState(Source<?> source) {
            this.source = source;
        }
    }

    /** One partition's records of a hand-off, in offset order, and how they become rows. */
    private record Handoff(TopicPartition partition, Source<?> source, List<ConsumerRecord<byte[], byte[]>> records) {
    }

    /**
     * A hand-off to the insert threads: done when every partition's task has finished.
     *
     * @param nextOffsets per partition, the offset after the last record read before the hand-off
     *                    (committed, for information, once the rows are written)
     */
    private record InFlight(Map<TopicPartition, Long> nextOffsets, CompletableFuture<Void> done) {
    }

    /** A record could not be sent to the dead-letter topic: its outcome is unknown, so the sink re-reads. */
    private static final class DeadLetterFailedException extends RuntimeException {

        DeadLetterFailedException(ConsumerRecord<byte[], byte[]> record, Exception cause) {
            super("dead-letter send of " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " failed: " + cause, cause);
        }
    }

    private record Source<V extends SpecificRecord>(String topic, AvroSerde<V> serde, RowMapper<V> mapper) {

        MappedRow map(ConsumerRecord<byte[], byte[]> record) {
            V event = serde.decode(record.topic(), record.value());
            if (event == null) {
                throw new UnmappableEventException("record has no value (tombstone)");
            }
            return mapper.map(event, record.partition(), record.offset());
        }
    }
}
