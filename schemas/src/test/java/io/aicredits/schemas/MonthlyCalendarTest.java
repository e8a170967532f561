package io.aicredits.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonthlyCalendarTest {

    @ParameterizedTest(name = "{0}: after {1} the next opening is {2}")
    @CsvSource({
            // zone,               now,                        expected next opening (UTC)
            "UTC,                  2025-01-15T10:00:00Z,       2025-02-01T00:00:00Z",
            "UTC,                  2025-12-31T23:59:59Z,       2026-01-01T00:00:00Z",
            // Kyiv: EET (+02) in winter, EEST (+03) from the last Sunday of March.
            "Europe/Kyiv,          2025-02-10T00:00:00Z,       2025-02-28T22:00:00Z",
            "Europe/Kyiv,          2025-03-30T12:00:00Z,       2025-03-31T21:00:00Z",
            "Europe/Kyiv,          2025-10-27T00:00:00Z,       2025-10-31T22:00:00Z",
            // New York: EST (-05) / EDT (-04); DST starts 2025-03-09, ends 2025-11-02.
            "America/New_York,     2025-02-15T00:00:00Z,       2025-03-01T05:00:00Z",
            "America/New_York,     2025-03-10T00:00:00Z,       2025-04-01T04:00:00Z",
            "America/New_York,     2025-10-15T00:00:00Z,       2025-11-01T04:00:00Z",
            "America/New_York,     2025-11-02T12:00:00Z,       2025-12-01T05:00:00Z",
            // Sydney: AEDT (+11) in the southern summer, AEST (+10) from the first Sunday of April.
            "Australia/Sydney,     2024-12-20T00:00:00Z,       2024-12-31T13:00:00Z",
            "Australia/Sydney,     2025-04-10T00:00:00Z,       2025-04-30T14:00:00Z",
            "Australia/Sydney,     2025-10-10T00:00:00Z,       2025-10-31T13:00:00Z",
            // Kolkata: +05:30 all year.
            "Asia/Kolkata,         2025-01-20T00:00:00Z,       2025-01-31T18:30:00Z",
            // Year end seen from ahead-of-UTC zones: already January locally.
            "Asia/Kolkata,         2025-12-31T18:29:59Z,       2025-12-31T18:30:00Z",
            "Australia/Sydney,     2025-12-31T12:00:00Z,       2025-12-31T13:00:00Z",
            // Leap year: February 2028 has 29 days.
            "UTC,                  2028-02-28T23:59:59Z,       2028-03-01T00:00:00Z",
            "UTC,                  2028-02-29T23:59:59Z,       2028-03-01T00:00:00Z",
            "America/New_York,     2028-02-29T12:00:00Z,       2028-03-01T05:00:00Z",
    })
    void shouldFireAtMidnightOfTheFirstInTheConfiguredZone(String zone, Instant now, Instant expected) {
        // Given
        MonthlyCalendar calendar = new MonthlyCalendar(ZoneId.of(zone));

        // When
        Instant next = calendar.nextOpeningAfter(now);

        // Then
        assertThat(next).isEqualTo(expected);
        assertThat(next.atZone(calendar.zone()).getDayOfMonth()).isEqualTo(1);
        assertThat(next.atZone(calendar.zone()).toLocalTime()).hasToString("00:00");
    }

    @ParameterizedTest(name = "{0}: at {1} period {2} is open")
    @CsvSource({
            "UTC,                 2025-02-01T00:00:00Z,  2025-02",
            "UTC,                 2025-01-31T23:59:59Z,  2025-01",
            "Europe/Kyiv,         2025-12-31T22:00:00Z,  2026-01",
            "Europe/Kyiv,         2025-12-31T21:59:59Z,  2025-12",
            "America/New_York,    2026-01-01T04:59:59Z,  2025-12",
            "America/New_York,    2026-01-01T05:00:00Z,  2026-01",
            "Australia/Sydney,    2027-12-31T13:00:00Z,  2028-01",
            "UTC,                 2028-02-29T12:00:00Z,  2028-02",
            "Asia/Kolkata,        2028-02-29T18:30:00Z,  2028-03",
    })
    void shouldFindThePeriodOpenAtAnInstant(String zone, Instant instant, String period) {
        MonthlyCalendar calendar = new MonthlyCalendar(ZoneId.of(zone));

        assertThat(MonthlyCalendar.periodId(calendar.periodAt(instant))).isEqualTo(period);
    }

    @Test
    void shouldOpenOnlyStrictlyAfterAnInstantThatIsItselfAnOpening() {
        MonthlyCalendar calendar = new MonthlyCalendar(ZoneId.of("Europe/Kyiv"));
        Instant marchOpening = Instant.parse("2025-02-28T22:00:00Z");

        assertThat(calendar.nextOpeningAfter(marchOpening)).isEqualTo(Instant.parse("2025-03-31T21:00:00Z"));
        assertThat(calendar.nextOpeningAfter(marchOpening.minusMillis(1))).isEqualTo(marchOpening);
    }

    @Test
    void shouldMakeMonthsAnHourShorterOrLongerAcrossDstChanges() {
        MonthlyCalendar newYork = new MonthlyCalendar(ZoneId.of("America/New_York"));

        Duration march = Duration.between(newYork.startOf(YearMonth.of(2025, 3)), newYork.startOf(YearMonth.of(2025, 4)));
        Duration november = Duration.between(newYork.startOf(YearMonth.of(2025, 11)), newYork.startOf(YearMonth.of(2025, 12)));

        assertThat(march).isEqualTo(Duration.ofDays(31).minusHours(1));
        assertThat(november).isEqualTo(Duration.ofDays(30).plusHours(1));
    }

    @Test
    void shouldOpenAtTheFirstValidTimeWhenDstSkipsMidnightOfTheFirst() {
        // Paraguay moved its clocks from 00:00 to 01:00 on 2023-10-01: that midnight never happened.
        MonthlyCalendar asuncion = new MonthlyCalendar(ZoneId.of("America/Asuncion"));

        Instant start = asuncion.startOf(YearMonth.of(2023, 10));

        assertThat(start).isEqualTo(Instant.parse("2023-10-01T04:00:00Z"));
        assertThat(start.atZone(asuncion.zone()).toLocalDateTime()).hasToString("2023-10-01T01:00");
        assertThat(asuncion.periodAt(start)).isEqualTo(YearMonth.of(2023, 10));
        assertThat(asuncion.periodAt(start.minusMillis(1))).isEqualTo(YearMonth.of(2023, 9));
    }

    @Test
    void shouldListTheNextOpeningsAcrossYearEndAndLeapDay() {
        MonthlyCalendar utc = new MonthlyCalendar(ZoneId.of("UTC"));

        assertThat(utc.nextPeriodsAfter(Instant.parse("2027-11-15T00:00:00Z"), 5))
                .extracting(MonthlyCalendar::periodId)
                .containsExactly("2027-12", "2028-01", "2028-02", "2028-03", "2028-04");
        assertThat(utc.startOf(YearMonth.of(2028, 3)).minus(Duration.ofDays(29)))
                .as("February 2028 has 29 days")
                .isEqualTo(utc.startOf(YearMonth.of(2028, 2)));
    }

    @Test
    void shouldShowAResetDateAsMonthDayYearInTheCalendarsZone() {
        Instant kyivFebruary = new MonthlyCalendar(ZoneId.of("Europe/Kyiv")).startOf(YearMonth.of(2025, 2));

        assertThat(new MonthlyCalendar(ZoneId.of("Europe/Kyiv")).usDate(kyivFebruary)).isEqualTo("2/1/2025");
        assertThat(new MonthlyCalendar(ZoneId.of("UTC")).usDate(kyivFebruary)).isEqualTo("1/31/2025");
    }

    @Test
    void shouldRejectMalformedPeriodIdsAndZones() {
        assertThat(MonthlyCalendar.parsePeriodId("2025-02")).isEqualTo(YearMonth.of(2025, 2));
        assertThatThrownBy(() -> MonthlyCalendar.parsePeriodId("2025-2")).hasMessageContaining("YYYY-MM");
        assertThatThrownBy(() -> MonthlyCalendar.parsePeriodId("2025-13")).hasMessageContaining("2025-13");
        assertThatThrownBy(() -> MonthlyCalendar.parseZone("Mars/Olympus")).hasMessageContaining("Mars/Olympus");
    }
}
