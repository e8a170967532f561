package io.aicredits.analytics.rows;

import io.aicredits.events.UsageEvent;
import io.aicredits.schemas.UsdNanos;
import java.math.BigDecimal;
import java.time.Instant;

/** {@link UsageEvent} → {@value #TABLE} (who, model, operation, tokens, cost, status, latency, metadata, and the Kafka position). */
public final class UsageRowMapper implements RowMapper<UsageEvent> {

    public static final String TABLE = "ai_usage_logs";

    @Override
    public String table() {
        return TABLE;
    }

    @Override
    public MappedRow map(UsageEvent event, int partition, long offset) {
        Instant createdAt = JsonRows.checkedDateTime("created_at", event.getCreatedAt());
        long nanos = event.getCostUsdNanos();
        if (nanos < 0 || nanos > JsonRows.MAX_DECIMAL_18_9_NANOS) {
            throw new UnmappableEventException("cost_usd_nanos out of range 0..1e18: " + nanos);
        }
        String json = new JsonRows()
                .string("id", JsonRows.required("id", event.getId()))
                .string("request_id", JsonRows.required("request_id", event.getRequestId()))
                .string("user_id", JsonRows.required("user_id", event.getUserId()))
                .string("model", JsonRows.required("model", event.getModel()))
                .string("operation_type", JsonRows.required("operation_type", event.getOperationType()))
                .string("pool", event.getPool() == null ? "" : event.getPool().toString())
                .string("status", JsonRows.required("status", event.getStatus() == null ? null : event.getStatus().name()))
                .number("tokens_input", JsonRows.nonNegative("tokens_input", event.getTokensInput()))
                .number("tokens_output", JsonRows.nonNegative("tokens_output", event.getTokensOutput()))
                .number("tokens_cached_input", JsonRows.nonNegative("tokens_cached_input", event.getTokensCachedInput()))
                .number("images", JsonRows.nonNegative("images", event.getImages()))
                .number("audio_seconds", JsonRows.nonNegative("audio_seconds", event.getAudioSeconds()))
                .decimal("cost_usd", UsdNanos.toUsd(nanos))
                .number("credits_charged", event.getCreditsCharged())
                .number("latency_ms", JsonRows.nonNegative("latency_ms", event.getLatencyMs()))
                .string("error", JsonRows.text(event.getError()))
                .dateTime("created_at", createdAt)
                .string("metadata", JsonRows.objectText(event.getMetadata()))
                .number("kafka_partition", (long) partition)
                .number("kafka_offset", offset)
                .finish();
        return new MappedRow(offset, JsonRows.month(createdAt), json);
    }
}
