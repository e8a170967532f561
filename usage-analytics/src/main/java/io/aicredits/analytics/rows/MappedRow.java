package io.aicredits.analytics.rows;

import java.util.List;

/**
 * One record turned into a ClickHouse row: the values of the table's columns, named, in the order
 * the mapper lists them. How they are encoded for an insert is the writer's business
 * ({@link TabSeparatedRows}).
 *
 * @param offset  the Kafka offset it came from
 * @param month   the table partition it falls into ({@code toYYYYMM(created_at)}, e.g. 202501)
 * @param columns the column names
 * @param values  the value of each column, same order: {@code String}, {@code Long},
 *                {@code BigDecimal}, {@code Instant} (a DateTime), or {@code null} (a Nullable column)
 */
public record MappedRow(long offset, int month, List<String> columns, List<Object> values) {

    public MappedRow {
        if (columns.size() != values.size()) {
            throw new IllegalArgumentException(columns.size() + " columns but " + values.size() + " values");
        }
    }

    /** The value of {@code column}. */
    public Object value(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return values.get(i);
    }
}
