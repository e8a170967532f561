package io.aicredits.schemas;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Monthly periods in one time zone. A period is a calendar month; it opens at the start of the
 * 1st of the month in the zone (00:00, or the first valid local time if a DST gap swallows
 * midnight). Period ids are {@code YYYY-MM}, the same in every zone.
 *
 * <p>The one calendar of the pipeline: the reset scheduler fires {@code PeriodOpened} at
 * {@link #startOf} and the metering stream refills accounts lazily by {@link #periodAt}, so both
 * must be configured with the same zone ({@code scheduler.zone} and {@code metering.zone}).
 */
public final class MonthlyCalendar {

    private final ZoneId zone;

    public MonthlyCalendar(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public ZoneId zone() {
        return zone;
    }

    /** The instant the period opens. */
    public Instant startOf(YearMonth period) {
        // atStartOfDay (not atTime(00:00)) so a DST gap at midnight yields the first valid instant.
        return period.atDay(1).atStartOfDay(zone).toInstant();
    }

    /** The period that is open at {@code instant}: the one whose start is the latest not after it. */
    public YearMonth periodAt(Instant instant) {
        return YearMonth.from(instant.atZone(zone));
    }

    /** The first opening strictly after {@code instant}. */
    public Instant nextOpeningAfter(Instant instant) {
        return startOf(periodAt(instant).plusMonths(1));
    }

    /** The calendar date of {@code instant} in the zone as M/D/YYYY, as user-facing messages show a reset date. */
    public String usDate(Instant instant) {
        ZonedDateTime t = instant.atZone(zone);
        return t.getMonthValue() + "/" + t.getDayOfMonth() + "/" + t.getYear();
    }

    /** The periods that open strictly after {@code instant}, oldest first. */
    public List<YearMonth> nextPeriodsAfter(Instant instant, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        List<YearMonth> periods = new ArrayList<>(count);
        YearMonth period = periodAt(instant);
        for (int i = 0; i < count; i++) {
            period = period.plusMonths(1);
            periods.add(period);
        }
        return periods;
    }

    /** Formats a period id, e.g. {@code 2025-02}. */
    public static String periodId(YearMonth period) {
        return period.toString();
    }

    /**
     * Parses a period id of the form {@code YYYY-MM}.
     *
     * @throws IllegalArgumentException with a readable message if the id is malformed
     */
    public static YearMonth parsePeriodId(String periodId) {
        if (periodId == null || !periodId.matches("\\d{4}-\\d{2}")) {
            throw new IllegalArgumentException("Period id must look like YYYY-MM (e.g. 2025-02), got: " + periodId);
        }
        try {
            return YearMonth.parse(periodId);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Not a valid month: " + periodId, e);
        }
    }

    /**
     * Parses an IANA zone id.
     *
     * @throws IllegalArgumentException with a readable message if the zone is unknown
     */
    public static ZoneId parseZone(String zoneId) {
        try {
            return ZoneId.of(zoneId);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Unknown time zone: " + zoneId, e);
        }
    }
}
