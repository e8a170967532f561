package io.aicredits.analytics.rows;

/** A record that can never become a row (corrupt bytes or values the table cannot hold). */
public class UnmappableEventException extends RuntimeException {

    public UnmappableEventException(String message) {
        super(message);
    }

    public UnmappableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
