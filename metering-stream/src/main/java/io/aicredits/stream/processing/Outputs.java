package io.aicredits.stream.processing;

import io.aicredits.events.CreditDecision;
import io.aicredits.events.LedgerEntry;
import io.aicredits.schemas.DeadLetters;
import io.aicredits.stream.MeteringTopology;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** The processor's three outputs: decisions to their reply partition, ledger entries, dead letters. */
final class Outputs {

    private final ProcessorContext<Object, Object> context;

    Outputs(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    void ledger(List<LedgerEntry> entries) {
        for (LedgerEntry e : entries) {
            context.forward(new Record<Object, Object>(e.getUserId(), e, e.getCreatedAt().toEpochMilli()),
                    MeteringTopology.LEDGER_SINK);
        }
    }

    /** A decision, to {@code replyPartition} of {@code ai.decisions} (null: partitioned by key). */
    void decision(CreditDecision decision, Integer replyPartition, long timestamp) {
        context.forward(new Record<Object, Object>(decision.getRequestId(), new RoutedDecision(decision, replyPartition), timestamp),
                MeteringTopology.DECISIONS_SINK);
    }

    /** The original bytes with {@link DeadLetters} headers saying why and where they came from. */
    void deadLetter(Record<byte[], byte[]> record, RecordMetadata source, RuntimeException e) {
        var headers = DeadLetters.describe(new RecordHeaders(), e.getMessage(), e,
                source.topic(), source.partition(), source.offset(), "metering-stream");
        context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers),
                MeteringTopology.DLQ_SINK);
    }
}
