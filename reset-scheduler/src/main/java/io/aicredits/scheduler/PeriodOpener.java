package io.aicredits.scheduler;

import io.aicredits.events.CreditCommand;
import io.aicredits.events.PeriodOpened;
import io.aicredits.schemas.MonthlyCalendar;
import io.aicredits.schemas.Topic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code PeriodOpened} commands: one per period to every partition of the commands topic,
 * in one Kafka transaction per period.
 *
 * <p>Why two instances are harmless: every instance uses the same {@code transactional.id}.
 * Initialising the producer fences the older instance (its next send or commit fails with
 * {@link ProducerFencedException}) and aborts its unfinished transaction, and this instance reads
 * the topic only after that. So a commit can only come from the newest producer, which has already
 * seen every earlier commit: a period is never committed twice by the scheduler. A fenced instance
 * re-initialises (fencing the other in turn), re-reads the topic and finds nothing left to do. The
 * stream ignoring a repeated {@code PeriodOpened} is a second line of defence (e.g. an operator's
 * {@code open-period} of a period that is already open).
 */
final class PeriodOpener implements AutoCloseable {

    static final String ACTOR = "reset-scheduler";

    private static final Logger log = LoggerFactory.getLogger(PeriodOpener.class);

    private final Topic<String, CreditCommand> topic;
    private final KafkaClientFactory clients;
    private final OpenedPeriodsReader reader;
    private final MonthlyCalendar calendar;
    private final Clock clock;
    private Producer<String, CreditCommand> producer;

    PeriodOpener(Topic<String, CreditCommand> topic, KafkaClientFactory clients, OpenedPeriodsReader reader,
                 MonthlyCalendar calendar, Clock clock) {
        this.topic = topic;
        this.clients = clients;
        this.reader = reader;
        this.calendar = calendar;
        this.clock = clock;
    }

    /** The command id of a period opening: the same for every attempt, so repeats are recognisable. */
    static String commandId(YearMonth period) {
        return "period-" + MonthlyCalendar.periodId(period);
    }

    /**
     * Opens every period that should be open by now but is not on the topic yet, oldest first.
     *
     * @return the periods opened (empty if the topic is up to date)
     */
    synchronized List<YearMonth> openDuePeriods() {
        try {
            return openDuePeriodsOnce();
        } catch (KafkaException e) {
            if (!isFenced(e)) {
                throw e;
            }
            log.warn("Another reset-scheduler instance took over transactional id '{}' ({}); re-initialising and re-reading {}",
                    clients.transactionalId(), e.getMessage(), topic.name());
            discardProducer();
            return openDuePeriodsOnce();
        }
    }

    /**
     * Operator command: opens {@code period} on every partition now, whatever the topic holds.
     * A period that is already open is a no-op downstream.
     *
     * @throws IllegalArgumentException if the period starts in the future
     */
    synchronized int openPeriod(YearMonth period) {
        Instant start = calendar.startOf(period);
        Instant now = clock.instant();
        if (start.isAfter(now)) {
            throw new IllegalArgumentException("Period " + MonthlyCalendar.periodId(period) + " starts at " + start
                    + " (" + calendar.zone() + "), after now (" + now + "): refusing to open a future period");
        }
        Producer<String, CreditCommand> transactional = producer();
        List<Integer> partitions = transactional.partitionsFor(topic.name()).stream()
                .map(PartitionInfo::partition)
                .sorted()
                .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("Topic " + topic.name() + " has no partitions");
        }
        log.info("Starting monthly AI credits reset... (manual open-period {})", MonthlyCalendar.periodId(period));
        write(transactional, period, partitions, "manual open-period");
        return partitions.size();
    }

    private List<YearMonth> openDuePeriodsOnce() {
        // Initialise (and so fence older instances) before reading: see the class comment.
        Producer<String, CreditCommand> transactional = producer();
        SortedMap<Integer, Optional<YearMonth>> latest = reader.latestByPartition();
        YearMonth current = calendar.periodAt(clock.instant());
        List<YearMonth> due = CatchUpPlan.periodsToOpen(latest, current);
        if (due.isEmpty()) {
            log.info("Period {} is already open on all {} partitions of {}; nothing to do",
                    MonthlyCalendar.periodId(current), latest.size(), topic.name());
            return due;
        }
        log.info("Starting monthly AI credits reset... periods to open: {} (zone {})",
                due.stream().map(MonthlyCalendar::periodId).collect(Collectors.joining(", ")), calendar.zone());
        List<Integer> partitions = List.copyOf(latest.keySet());
        String reason = due.size() > 1 || !due.get(0).equals(current) ? "catch-up" : "scheduled";
        for (YearMonth period : due) {
            write(transactional, period, partitions, reason);
        }
        return due;
    }

    private void write(Producer<String, CreditCommand> transactional, YearMonth period, List<Integer> partitions, String reason) {
        String periodId = MonthlyCalendar.periodId(period);
        CreditCommand command = CreditCommand.newBuilder()
                .setCommandId(commandId(period))
                .setUserId(null)
                .setActor(ACTOR)
                .setReason(reason)
                .setIssuedAt(clock.instant())
                .setCommand(PeriodOpened.newBuilder()
                        .setPeriodId(periodId)
                        .setStartAt(calendar.startOf(period))
                        .setZone(calendar.zone().getId())
                        .build())
                .build();
        transactional.beginTransaction();
        try {
            for (int partition : partitions) {
                // Explicit partition: the opening applies to every user of that partition. The record
                // timestamp is left to the producer (now); the period's own start is in the payload.
                transactional.send(new ProducerRecord<>(topic.name(), partition, command.getCommandId(), command));
            }
            transactional.commitTransaction();
        } catch (KafkaException e) {
            if (isFenced(e)) {
                // Fatal for this producer: nothing to abort, the new owner already aborted our transaction.
                discardProducer();
            } else {
                abortAfter(e);
            }
            throw e;
        }
        log.info("Period {} opened on {} partitions (start {}, zone {}, reason {})",
                periodId, partitions.size(), calendar.startOf(period), calendar.zone(), reason);
    }

    static boolean isFenced(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private void abortAfter(KafkaException cause) {
        try {
            producer.abortTransaction();
        } catch (KafkaException abortFailure) {
            cause.addSuppressed(abortFailure);
            discardProducer();
        }
    }

    private Producer<String, CreditCommand> producer() {
        if (producer == null) {
            Producer<String, CreditCommand> created = clients.transactionalProducer(topic);
            try {
                created.initTransactions();
            } catch (KafkaException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
        return producer;
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
