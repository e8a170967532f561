package io.aicredits.localstack;

import java.time.Duration;

/**
 * When the local run restarts an app that exited on its own: after a back-off that doubles with
 * each quick failure in a row (an exit within {@code stableAfter} of the start), up to
 * {@code maxBackoff}; an app that ran at least {@code stableAfter} starts the count afresh.
 * After {@code maxQuickFailures} quick failures in a row the app is left stopped, since restarting
 * an app that cannot start only hides the reason in its log.
 */
record RestartPolicy(Duration initialBackoff, Duration maxBackoff, Duration stableAfter, int maxQuickFailures) {

    /** 1 s, 2 s, 4 s … up to 30 s; stable after a minute; give up after 5 quick failures in a row. */
    static final RestartPolicy DEFAULT = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(1), 5);

    RestartPolicy {
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxQuickFailures < 1) {
            throw new IllegalArgumentException("invalid restart policy " + initialBackoff + ", " + maxBackoff + ", " + maxQuickFailures);
        }
    }

    /** Failures in a row after an exit that came {@code uptime} after the start, {@code before} being the count until then. */
    int failuresInARow(int before, Duration uptime) {
        return uptime.compareTo(stableAfter) < 0 ? before + 1 : 1;
    }

    /** True when an app with this many quick failures in a row stays stopped. */
    boolean givesUp(int failuresInARow) {
        return failuresInARow >= maxQuickFailures;
    }

    /** The wait before the restart that follows the {@code failuresInARow}-th failure in a row (1-based). */
    Duration backoff(int failuresInARow) {
        Duration backoff = initialBackoff;
        for (int i = 1; i < failuresInARow && backoff.compareTo(maxBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }
}
