package io.aicredits.sink;

import io.aicredits.analytics.clickhouse.ClickHouseConnection;
import io.aicredits.schemas.Topics;
import io.aicredits.sink.ingest.SinkSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code usage-sink.*} settings. Kafka's address is Spring's {@code spring.kafka.bootstrap-servers}.
 *
 * @param clickhouse     where the tables live
 * @param topics         topic names (default: the standard ones of {@code Topics})
 * @param groupId        consumer group (its offsets are informational)
 * @param batch          when a batch is flushed
 * @param retry          back-off while ClickHouse fails
 * @param migrateOnStart apply ClickHouse migrations before consuming
 */
@ConfigurationProperties("usage-sink")
record SinkProperties(@DefaultValue ClickHouseConnection clickhouse,
                      @DefaultValue TopicNames topics,
                      @DefaultValue("usage-sink") String groupId,
                      @DefaultValue Batch batch,
                      @DefaultValue Retry retry,
                      @DefaultValue("true") boolean migrateOnStart) {

    /** Each left out is the standard topic of {@code Topics}. */
    record TopicNames(String usage, String ledger, String deadLetters) {

        TopicNames {
            usage = usage == null ? Topics.AI_USAGE.name() : usage;
            ledger = ledger == null ? Topics.CREDIT_LEDGER.name() : ledger;
            deadLetters = deadLetters == null ? Topics.DEAD_LETTERS.name() : deadLetters;
        }
    }

    /** Each left out is that of {@link SinkSettings#defaults()}, the one home of the defaults. */
    record Batch(Integer maxRows, Duration maxDelay) {

        Batch {
            maxRows = maxRows == null ? SinkSettings.defaults().batchMaxRows() : maxRows;
            maxDelay = maxDelay == null ? SinkSettings.defaults().batchMaxDelay() : maxDelay;
        }
    }

    /** Each left out is that of {@link SinkSettings#defaults()}. */
    record Retry(Duration initialBackoff, Duration maxBackoff) {

        Retry {
            initialBackoff = initialBackoff == null ? SinkSettings.defaults().initialBackoff() : initialBackoff;
            maxBackoff = maxBackoff == null ? SinkSettings.defaults().maxBackoff() : maxBackoff;
        }
    }

    SinkSettings toSettings() {
        return new SinkSettings(topics.usage(), topics.ledger(), topics.deadLetters(), groupId,
                batch.maxRows(), batch.maxDelay(), retry.initialBackoff(), retry.maxBackoff(), clickhouse.timeout());
    }
}
