package io.aicredits.analytics.rows;

/**
 * One record turned into a ClickHouse row.
 *
 * @param offset the Kafka offset it came from
 * @param month  the table partition it falls into ({@code toYYYYMM(created_at)}, e.g. 202501)
 * @param json   the row as one JSONEachRow line, without the trailing newline
 */
public record MappedRow(long offset, int month, String json) {
}
