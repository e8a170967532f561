package io.aicredits.analytics.rows;

import io.aicredits.events.LedgerEntry;
import java.time.Instant;

/** {@link LedgerEntry} → {@value #TABLE}. */
public final class LedgerRowMapper implements RowMapper<LedgerEntry> {

    public static final String TABLE = "credit_ledger";

    @Override
    public String table() {
        return TABLE;
    }

    @Override
    public MappedRow map(LedgerEntry entry, int partition, long offset) {
        Instant createdAt = JsonRows.checkedDateTime("created_at", entry.getCreatedAt());
        String json = new JsonRows()
                .string("entry_id", JsonRows.required("entry_id", entry.getEntryId()))
                .string("user_id", JsonRows.required("user_id", entry.getUserId()))
                .string("pool", JsonRows.required("pool", entry.getPool()))
                .string("kind", JsonRows.required("kind", entry.getKind() == null ? null : entry.getKind().name()))
                .number("delta", entry.getDelta())
                .number("balance_after", entry.getBalanceAfter())
                .string("cause_id", JsonRows.required("cause_id", entry.getCauseId()))
                .string("operation_type", JsonRows.text(entry.getOperationType()))
                .string("note", JsonRows.text(entry.getNote()))
                .dateTime("created_at", createdAt)
                .number("kafka_partition", (long) partition)
                .number("kafka_offset", offset)
                .finish();
        return new MappedRow(offset, JsonRows.month(createdAt), json);
    }
}
