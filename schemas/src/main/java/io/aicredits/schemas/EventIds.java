package io.aicredits.schemas;

/**
 * How long the ids carried by events (user, request, command ids) may be. The metering stream
 * keeps ids in its stores and dead-letters a record whose id is longer than {@link #MAX_LENGTH};
 * the apps that build request and command ids from a user id accept user ids of at most
 * {@link #MAX_USER_ID_LENGTH}, so every id they build stays within {@link #MAX_LENGTH}.
 */
public final class EventIds {

    /** Longest id the metering stream accepts. */
    public static final int MAX_LENGTH = 1_000;

    /** Longest user id the gateway accepts (a JWT {@code sub} or a user in a path). */
    public static final int MAX_USER_ID_LENGTH = 256;

    private EventIds() {
    }
}
