package io.aicredits.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CatchUpPlanTest {

    private static final YearMonth APRIL = YearMonth.of(2025, 4);

    @Test
    void shouldOpenEveryMissedPeriodOldestFirst() {
        var latest = Map.of(0, Optional.of(YearMonth.of(2025, 1)), 1, Optional.of(YearMonth.of(2025, 1)));

        assertThat(CatchUpPlan.periodsToOpen(latest, APRIL))
                .containsExactly(YearMonth.of(2025, 2), YearMonth.of(2025, 3), APRIL);
    }

    @Test
    void shouldOpenNothingWhenTheCurrentPeriodIsOpenEverywhere() {
        var latest = Map.of(0, Optional.of(APRIL), 1, Optional.of(APRIL));

        assertThat(CatchUpPlan.periodsToOpen(latest, APRIL)).isEmpty();
    }

    @Test
    void shouldOpenOnlyTheCurrentPeriodOnAnEmptyTopic() {
        var latest = Map.of(0, Optional.<YearMonth>empty(), 1, Optional.<YearMonth>empty());

        assertThat(CatchUpPlan.periodsToOpen(latest, APRIL)).containsExactly(APRIL);
    }

    @Test
    void shouldCatchUpFromTheLaggingPartition() {
        var latest = Map.of(0, Optional.of(APRIL), 1, Optional.of(YearMonth.of(2025, 2)));

        assertThat(CatchUpPlan.periodsToOpen(latest, APRIL)).containsExactly(YearMonth.of(2025, 3), APRIL);
    }

    @Test
    void shouldOpenTheCurrentPeriodOnAPartitionAddedLater() {
        var latest = Map.of(0, Optional.of(APRIL), 1, Optional.of(APRIL), 2, Optional.<YearMonth>empty());

        assertThat(CatchUpPlan.periodsToOpen(latest, APRIL)).containsExactly(APRIL);
    }
}
