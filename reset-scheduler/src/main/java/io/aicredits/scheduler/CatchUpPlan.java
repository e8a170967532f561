package io.aicredits.scheduler;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which periods to open, given the latest {@code PeriodOpened} found on each partition
 * of the commands topic and the period that is open now.
 */
final class CatchUpPlan {

    private CatchUpPlan() {
    }

    /**
     * The periods to open, oldest first.
     * <ul>
     *   <li>Nothing ever opened (or retention removed it everywhere): only the current period.</li>
     *   <li>Otherwise every period after the oldest partition's latest opening, up to the current
     *       one. Partitions that are already further get a repeat, which the stream ignores.</li>
     *   <li>A partition without any opening while others have one (partitions added later): at
     *       least the current period, so every partition learns which period is open.</li>
     * </ul>
     */
    static List<YearMonth> periodsToOpen(Map<Integer, Optional<YearMonth>> latestByPartition, YearMonth current) {
        Optional<YearMonth> oldestLatest = latestByPartition.values().stream()
                .flatMap(Optional::stream)
                .min(YearMonth::compareTo);
        if (oldestLatest.isEmpty()) {
            return List.of(current);
        }
        List<YearMonth> periods = new ArrayList<>();
        for (YearMonth period = oldestLatest.get().plusMonths(1); !period.isAfter(current); period = period.plusMonths(1)) {
            periods.add(period);
        }
        boolean somePartitionNeverOpened = latestByPartition.values().stream().anyMatch(Optional::isEmpty);
        if (periods.isEmpty() && somePartitionNeverOpened) {
            periods.add(current);
        }
        return periods;
    }
}
