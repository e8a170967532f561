package io.aicredits.analytics.clickhouse;

/** A ClickHouse statement failed or ClickHouse could not be reached. */
public class ClickHouseAccessException extends RuntimeException {

    public ClickHouseAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
