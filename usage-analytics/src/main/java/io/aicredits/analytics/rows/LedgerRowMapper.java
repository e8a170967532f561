package io.aicredits.analytics.rows;

import io.aicredits.events.LedgerEntry;
import java.time.Instant;

/** {@link LedgerEntry} → {@value #TABLE}. */
public final class LedgerRowMapper implements RowMapper<LedgerEntry> {

    public static final String TABLE = "credit_ledger";

    private final RowValues.Columns columns = new RowValues.Columns();

    @Override
    public String table() {
        return TABLE;
    }

    @Override
    public MappedRow map(LedgerEntry entry, int partition, long offset) {
        Instant createdAt = RowValues.checkedDateTime("created_at", entry.getCreatedAt());
        return new RowValues(columns)
                .string("entry_id", RowValues.required("entry_id", entry.getEntryId()))
                .string("user_id", RowValues.required("user_id", entry.getUserId()))
                .string("pool", RowValues.required("pool", entry.getPool()))
                .string("kind", RowValues.required("kind", entry.getKind() == null ? null : entry.getKind().name()))
                .number("delta", entry.getDelta())
                .number("balance_after", entry.getBalanceAfter())
                .string("cause_id", RowValues.required("cause_id", entry.getCauseId()))
                .string("operation_type", RowValues.text(entry.getOperationType()))
                .string("note", RowValues.text(entry.getNote()))
                .dateTime("created_at", createdAt)
                .number("kafka_partition", (long) partition)
                .number("kafka_offset", offset)
                .finish(offset, RowValues.month(createdAt));
    }
}
