package io.aicredits.stream.processing;

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

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
