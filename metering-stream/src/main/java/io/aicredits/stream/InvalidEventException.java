package io.aicredits.stream;

/** A record that decodes but cannot be applied (missing user id, key not the user id, unknown plan, …): it goes to the DLQ. */
final class InvalidEventException extends RuntimeException {
    InvalidEventException(String message) {
        super(message);
    }
}
