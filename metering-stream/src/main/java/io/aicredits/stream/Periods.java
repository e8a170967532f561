package io.aicredits.stream;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Monthly periods: each starts at 00:00 on the 1st in the configured zone. */
final class Periods {

    private final ZoneId zone;

    Periods(ZoneId zone) {
        this.zone = zone;
    }

    /** The period containing {@code epochMillis}. */
    PeriodMark periodOf(long epochMillis) {
        YearMonth month = YearMonth.from(Instant.ofEpochMilli(epochMillis).atZone(zone));
        return new PeriodMark(month.toString(), month.atDay(1).atStartOfDay(zone).toInstant().toEpochMilli());
    }

    /** Start of the period after the one that started at {@code periodStart}. */
    long nextReset(long periodStart) {
        YearMonth month = YearMonth.from(Instant.ofEpochMilli(periodStart).atZone(zone));
        return month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** Seed 000's date format for the reset date: M/D/YYYY in the configured zone. */
    String usDate(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
        return t.getMonthValue() + "/" + t.getDayOfMonth() + "/" + t.getYear();
    }
}
