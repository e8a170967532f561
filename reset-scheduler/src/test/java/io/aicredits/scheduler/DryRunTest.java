package io.aicredits.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.schemas.MonthlyCalendar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DryRunTest {

    @Test
    void shouldPrintTheNextOpeningsWithLocalAndUtcTimes() {
        // Given
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        MonthlyCalendar kyiv = new MonthlyCalendar(ZoneId.of("Europe/Kyiv"));

        // When
        SchedulerCommandLine.printOpenings(kyiv, Instant.parse("2025-02-10T00:00:00Z"), 3,
                new PrintStream(buffer, true, StandardCharsets.UTF_8));

        // Then
        assertThat(buffer.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "Next 3 period openings in Europe/Kyiv after 2025-02-10T00:00:00Z:",
                "2025-03  2025-03-01T00:00+02:00  2025-02-28T22:00:00Z",
                "2025-04  2025-04-01T00:00+03:00  2025-03-31T21:00:00Z",
                "2025-05  2025-05-01T00:00+03:00  2025-04-30T21:00:00Z");
    }
}
