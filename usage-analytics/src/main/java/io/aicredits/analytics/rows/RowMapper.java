package io.aicredits.analytics.rows;

/**
 * Turns one decoded event into a row of one ClickHouse table.
 *
 * @param <V> the event type
 */
public interface RowMapper<V> {

    /** The table the rows go to. */
    String table();

    /**
     * Maps an event read from {@code partition} at {@code offset}.
     *
     * @throws UnmappableEventException when the event has values the table cannot hold
     */
    MappedRow map(V event, int partition, long offset);
}
