package io.aicredits.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void shouldSpaceRequestsEvenlyAtTheOfferedRate() {
        // Given 5,000 requests/s starting at t=1,000
        OpenLoopSchedule schedule = new OpenLoopSchedule(1_000, 5_000, SECOND, 3 * SECOND);

        // Then request i is due at start + i * 200 µs, independent of answers
        assertThat(schedule.dueAt(0)).isEqualTo(1_000);
        assertThat(schedule.dueAt(1)).isEqualTo(1_000 + 200_000);
        assertThat(schedule.dueAt(5_000)).isEqualTo(1_000 + SECOND);
    }

    @Test
    void shouldCountRequestsInTheRunAndExcludeTheWarmUp() {
        // Given 1,000 requests/s for 3 s, the first second warm-up
        OpenLoopSchedule schedule = new OpenLoopSchedule(0, 1_000, SECOND, 3 * SECOND);

        // Then 3,000 are sent and the 2,000 due after the warm-up are measured
        assertThat(schedule.count()).isEqualTo(3_000);
        assertThat(schedule.measuredCount()).isEqualTo(2_000);
        assertThat(schedule.measured(999)).isFalse();
        assertThat(schedule.measured(1_000)).isTrue();
        assertThat(schedule.includes(2_999)).isTrue();
        assertThat(schedule.includes(3_000)).isFalse();
    }

    @Test
    void shouldRejectANonPositiveRateOrAWarmUpLongerThanTheRun() {
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 0, 0, SECOND)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 10, 2 * SECOND, SECOND)).isInstanceOf(IllegalArgumentException.class);
    }
}
