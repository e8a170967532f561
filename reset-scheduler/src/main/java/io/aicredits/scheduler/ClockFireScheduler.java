package io.aicredits.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FireScheduler} on one non-daemon thread. It never sleeps longer than
 * {@code maxSleep} and re-reads the injected clock on every wake-up, so a wall clock that
 * jumps (NTP, VM suspend) or a controllable test clock still fires at the right instant.
 */
final class ClockFireScheduler implements FireScheduler, AutoCloseable {

    private final Clock clock;
    private final Duration maxSleep;
    private final ScheduledExecutorService executor;

    ClockFireScheduler(Clock clock, Duration maxSleep) {
        if (maxSleep.isNegative() || maxSleep.isZero()) {
            throw new IllegalArgumentException("maxSleep must be positive: " + maxSleep);
        }
        this.clock = clock;
        this.maxSleep = maxSleep;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "reset-scheduler");
            // Non-daemon: this thread is what keeps the service running between openings.
            thread.setDaemon(false);
            return thread;
        });
    }

    @Override
    public Scheduled schedule(Instant at, Runnable task) {
        Handle handle = new Handle(at, task);
        handle.arm();
        return handle;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private final class Handle implements Scheduled {
        private final Instant at;
        private final Runnable task;
        private volatile boolean cancelled;
        private volatile ScheduledFuture<?> next;

        Handle(Instant at, Runnable task) {
            this.at = at;
            this.task = task;
        }

        void arm() {
            Duration untilFire = Duration.between(clock.instant(), at);
            Duration sleep = untilFire.compareTo(maxSleep) > 0 ? maxSleep : untilFire;
            long millis = Math.max(0, sleep.toMillis());
            next = executor.schedule(this::wake, millis, TimeUnit.MILLISECONDS);
        }

        private void wake() {
            if (cancelled) {
                return;
            }
            if (clock.instant().isBefore(at)) {
                arm();
                return;
            }
            task.run();
        }

        @Override
        public void cancel() {
            cancelled = true;
            ScheduledFuture<?> pending = next;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }
}
