package io.aicredits.stream.processing;

import io.aicredits.schemas.EventIds;

/** A record that decodes but cannot be applied (missing user id, key not the user id, unknown plan, …): it goes to the DLQ. */
final class InvalidEventException extends RuntimeException {
    InvalidEventException(String message) {
        super(message);
    }

    /** Refuses a record keyed other than by its user: it may sit on another user's partition, where this user's state is not. */
    static void requireKeyIsUser(String key, String userId) {
        if (!userId.equals(key)) {
            throw new InvalidEventException("record key '" + key + "' is not its user_id '" + userId + "'");
        }
    }

    /** Refuses a missing, blank or over-long id before it reaches a store. */
    static void requireId(String what, String value) {
        if (isBlank(value)) {
            throw new InvalidEventException(what + " is missing");
        }
        if (value.length() > EventIds.MAX_LENGTH) {
            throw new InvalidEventException(what + " is " + value.length() + " characters long; at most " + EventIds.MAX_LENGTH + " are allowed");
        }
    }

    /** Refuses a negative count or amount, which would cut a charge. */
    static void requireNotNegative(String what, long value) {
        if (value < 0) {
            throw new InvalidEventException(what + " is negative: " + value);
        }
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
