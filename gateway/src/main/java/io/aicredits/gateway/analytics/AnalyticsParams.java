package io.aicredits.gateway.analytics;

import io.aicredits.analytics.AnalyticsPeriod;
import io.aicredits.analytics.Granularity;
import io.aicredits.analytics.SortDirection;
import io.aicredits.analytics.UsageAnalytics;
import io.aicredits.analytics.UserSort;
import io.aicredits.gateway.web.ApiException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Query parameters of the analytics endpoints, checked and turned into {@link UsageAnalytics}
 * arguments; anything wrong is a {@code 400} naming the parameter and what it accepts.
 *
 * <p>Periods: {@code from} and {@code to} are ISO dates, both <em>included</em> (UTC days); or
 * {@code period=day|week|month}, the current UTC day, ISO week (Monday–Sunday) or calendar month;
 * nothing at all means the current month.
 */
final class AnalyticsParams {

    /** ClickHouse's {@code Date} covers 1970-01-01 … 2105; the period must fit. */
    static final LocalDate MIN_DATE = LocalDate.of(1970, 1, 1);
    static final LocalDate MAX_DATE = LocalDate.of(2105, 12, 31);

    private AnalyticsParams() {
    }

    static AnalyticsPeriod period(String from, String to, String period, LocalDate today) {
        boolean custom = present(from) || present(to);
        if (custom && present(period)) {
            throw ApiException.badRequest("Give either period or from/to, not both");
        }
        if (custom) {
            if (!present(from) || !present(to)) {
                throw ApiException.badRequest("from and to must be given together (ISO dates, e.g. from=2025-01-01&to=2025-01-31)");
            }
            LocalDate start = date("from", from);
            LocalDate end = date("to", to);
            if (start.isAfter(end)) {
                throw ApiException.badRequest("from (" + start + ") must not be after to (" + end + ")");
            }
            return new AnalyticsPeriod(start, end.plusDays(1));
        }
        String name = present(period) ? period.trim().toLowerCase(Locale.ROOT) : "month";
        return switch (name) {
            case "day" -> AnalyticsPeriod.day(today);
            case "week" -> AnalyticsPeriod.week(today);
            case "month" -> AnalyticsPeriod.month(today);
            default -> throw ApiException.badRequest("Unknown period '" + period + "'; use day, week or month");
        };
    }

    /** The last day of the period (the period's {@code to} is exclusive, the API's inclusive). */
    static LocalDate lastDay(AnalyticsPeriod period) {
        return period.to().minusDays(1);
    }

    static Granularity granularity(String value) {
        if (!present(value)) {
            return Granularity.DAY;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "day" -> Granularity.DAY;
            case "week" -> Granularity.WEEK;
            case "month" -> Granularity.MONTH;
            default -> throw ApiException.badRequest("Unknown granularity '" + value + "'; use day, week or month");
        };
    }

    static UserSort sort(String value) {
        if (!present(value)) {
            return UserSort.COST;
        }
        String name = value.trim().toLowerCase(Locale.ROOT);
        for (UserSort sort : UserSort.values()) {
            if (sortName(sort).equals(name)) {
                return sort;
            }
        }
        throw ApiException.badRequest("Unknown sort column '" + value + "'; use one of "
                + Arrays.stream(UserSort.values()).map(AnalyticsParams::sortName).collect(Collectors.joining(", ")));
    }

    static String sortName(UserSort sort) {
        return sort.name().toLowerCase(Locale.ROOT);
    }

    /** Default: descending, except by user id (alphabetical). */
    static SortDirection direction(String value, UserSort sort) {
        if (!present(value)) {
            return sort == UserSort.USER ? SortDirection.ASC : SortDirection.DESC;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "asc" -> SortDirection.ASC;
            case "desc" -> SortDirection.DESC;
            default -> throw ApiException.badRequest("Unknown direction '" + value + "'; use asc or desc");
        };
    }

    static int page(String value) {
        int page = integer("page", value, 0);
        if (page < 0) {
            throw ApiException.badRequest("page must be 0 or more (pages count from 0): " + page);
        }
        return page;
    }

    static int size(String name, String value, int defaultSize) {
        int size = integer(name, value, defaultSize);
        if (size < 1 || size > UsageAnalytics.MAX_PAGE_SIZE) {
            throw ApiException.badRequest(name + " must be between 1 and " + UsageAnalytics.MAX_PAGE_SIZE + ": " + size);
        }
        return size;
    }

    private static int integer(String name, String value, int defaultValue) {
        if (!present(value)) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number: '" + value + "'");
        }
    }

    private static LocalDate date(String name, String value) {
        LocalDate date;
        try {
            date = LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an ISO date (YYYY-MM-DD): '" + value + "'");
        }
        if (date.isBefore(MIN_DATE) || date.isAfter(MAX_DATE)) {
            throw ApiException.badRequest(name + " must be between " + MIN_DATE + " and " + MAX_DATE + ": " + date);
        }
        return date;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
