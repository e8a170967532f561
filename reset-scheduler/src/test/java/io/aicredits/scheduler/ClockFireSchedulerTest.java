package io.aicredits.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClockFireSchedulerTest {

    @Test
    void shouldFireOnlyOnceTheInjectedClockReachesTheFireTime() {
        // Given a clock a month before the fire time, and short sleeps so the thread re-reads it often
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        AtomicInteger fired = new AtomicInteger();
        try (ClockFireScheduler scheduler = new ClockFireScheduler(clock, Duration.ofMillis(20))) {
            scheduler.schedule(Instant.parse("2025-02-01T00:00:00Z"), fired::incrementAndGet);

            // Then it keeps waiting while the clock is before the fire time
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> fired.get() == 0);

            // When the clock reaches it
            clock.set(Instant.parse("2025-02-01T00:00:00Z"));

            // Then it fires exactly once
            await().atMost(Duration.ofSeconds(5)).until(() -> fired.get() == 1);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> fired.get() == 1);
        }
    }

    @Test
    void shouldNotFireACancelledTask() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        AtomicInteger fired = new AtomicInteger();
        try (ClockFireScheduler scheduler = new ClockFireScheduler(clock, Duration.ofMillis(20))) {
            FireScheduler.Scheduled scheduled = scheduler.schedule(Instant.parse("2025-01-02T00:00:00Z"), fired::incrementAndGet);

            scheduled.cancel();
            clock.set(Instant.parse("2025-01-03T00:00:00Z"));

            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> fired.get() == 0);
        }
    }
}
