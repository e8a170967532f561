package io.aicredits.analytics.rows;

import io.aicredits.events.UsageEvent;
import io.aicredits.schemas.UsdNanos;
import java.math.BigDecimal;
import java.time.Instant;

/** {@link UsageEvent} → {@value #TABLE} (who, model, operation, tokens, cost, status, latency, metadata, and the Kafka position). */
public final class UsageRowMapper implements RowMapper<UsageEvent> {

    public static final String TABLE = "ai_usage_logs";

    private final RowValues.Columns columns = new RowValues.Columns();

    @Override
    public String table() {
        return TABLE;
    }

    @Override
    public MappedRow map(UsageEvent event, int partition, long offset) {
        Instant createdAt = RowValues.checkedDateTime("created_at", event.getCreatedAt());
        long nanos = event.getCostUsdNanos();
        if (nanos < 0 || nanos > RowValues.MAX_DECIMAL_18_9_NANOS) {
            throw new UnmappableEventException("cost_usd_nanos out of range 0..1e18: " + nanos);
        }
        return new RowValues(columns)
                .string("id", RowValues.required("id", event.getId()))
                .string("request_id", RowValues.required("request_id", event.getRequestId()))
                .string("user_id", RowValues.required("user_id", event.getUserId()))
                .string("model", RowValues.required("model", event.getModel()))
                .string("operation_type", RowValues.required("operation_type", event.getOperationType()))
                .string("pool", event.getPool() == null ? "" : event.getPool().toString())
                .string("status", RowValues.required("status", event.getStatus() == null ? null : event.getStatus().name()))
                .number("tokens_input", RowValues.nonNegative("tokens_input", event.getTokensInput()))
                .number("tokens_output", RowValues.nonNegative("tokens_output", event.getTokensOutput()))
                .number("tokens_cached_input", RowValues.nonNegative("tokens_cached_input", event.getTokensCachedInput()))
                .number("images", RowValues.nonNegative("images", event.getImages()))
                .number("audio_seconds", RowValues.nonNegative("audio_seconds", event.getAudioSeconds()))
                .decimal("cost_usd", UsdNanos.toUsd(nanos))
                .number("credits_charged", event.getCreditsCharged())
                .number("latency_ms", RowValues.nonNegative("latency_ms", event.getLatencyMs()))
                .string("error", RowValues.text(event.getError()))
                .dateTime("created_at", createdAt)
                .string("metadata", RowValues.objectText(event.getMetadata()))
                .number("kafka_partition", (long) partition)
                .number("kafka_offset", offset)
                .finish(offset, RowValues.month(createdAt));
    }
}
