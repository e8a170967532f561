package io.aicredits.analytics;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Days {@code [from, to)} in UTC: {@code from} included, {@code to} excluded. The aggregate table
 * is per day, so periods are whole days.
 */
public record AnalyticsPeriod(LocalDate from, LocalDate to) {

    public AnalyticsPeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("period 'from' (" + from + ") must be before 'to' (" + to + ")");
        }
    }

    /** One day. */
    public static AnalyticsPeriod day(LocalDate day) {
        return new AnalyticsPeriod(day, day.plusDays(1));
    }

    /** The ISO week (Monday to Sunday) containing {@code day}. */
    public static AnalyticsPeriod week(LocalDate day) {
        LocalDate monday = day.minusDays(day.getDayOfWeek().getValue() - 1L);
        return new AnalyticsPeriod(monday, monday.plusWeeks(1));
    }

    /** The calendar month containing {@code day}. */
    public static AnalyticsPeriod month(LocalDate day) {
        LocalDate first = day.withDayOfMonth(1);
        return new AnalyticsPeriod(first, first.plusMonths(1));
    }
}
