package io.aicredits.sink.ingest;

import io.aicredits.schemas.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of {@link UsageSink}.
 *
 * @param usageTopic      topic of {@code UsageEvent}s (ai.usage)
 * @param ledgerTopic     topic of {@code LedgerEntry}s (credit.ledger)
 * @param deadLetterTopic where unmappable records go (metering.dlq)
 * @param groupId         consumer group; its committed offsets are informational only
 * @param batchMaxRows    flush when this many rows are pending
 * @param batchMaxDelay   flush when the oldest pending row has waited this long
 * @param initialBackoff  first wait after ClickHouse failed
 * @param maxBackoff      upper bound of the doubling wait
 * @param insertTimeout   how long one insert or position query may take
 */
public record SinkSettings(String usageTopic, String ledgerTopic, String deadLetterTopic, String groupId,
                           int batchMaxRows, Duration batchMaxDelay, Duration initialBackoff, Duration maxBackoff,
                           Duration insertTimeout) {

    public SinkSettings {
        Objects.requireNonNull(usageTopic, "usageTopic");
        Objects.requireNonNull(ledgerTopic, "ledgerTopic");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(groupId, "groupId");
        if (batchMaxRows < 1) {
            throw new IllegalArgumentException("batchMaxRows must be at least 1: " + batchMaxRows);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 < initialBackoff <= maxBackoff");
        }
    }

    /** Production defaults on the standard topics. */
    public static SinkSettings defaults() {
        return new SinkSettings(Topics.AI_USAGE.name(), Topics.CREDIT_LEDGER.name(), Topics.DEAD_LETTERS.name(), "usage-sink",
                50_000, Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }
}
