package io.aicredits.scheduler;

import java.time.Instant;

/** Runs a task once the clock reaches an instant. Tests drive an implementation by hand. */
interface FireScheduler {

    /** Schedules {@code task} to run once, as soon as the clock is at or after {@code at}. */
    Scheduled schedule(Instant at, Runnable task);

    /** A scheduled task that has not run yet. */
    interface Scheduled {
        void cancel();
    }
}
