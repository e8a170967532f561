package io.aicredits.stream.credits;

import io.aicredits.stream.MeteringTopology;

/** The latest period opened on a partition, the value of {@link MeteringTopology#PERIODS_STORE}. */
public final class PeriodMark {
    public String periodId;
    public long startAt;

    public PeriodMark() {
    }

    public PeriodMark(String periodId, long startAt) {
        this.periodId = periodId;
        this.startAt = startAt;
    }
}
