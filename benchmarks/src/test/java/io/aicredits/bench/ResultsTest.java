package io.aicredits.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultsTest {

    @Test
    void shouldWriteEnvironmentAndRowsAsJson() {
        // Given results with an environment entry, a figure and a failed phase
        Results results = new Results();
        results.environment("cores", 2);
        results.environment("flags", "-Xmx1g \"quoted\"");
        results.add("decisions", "decisions/s", 12_345, "dec/s", "N=100000");
        results.add("sink", "error", Double.NaN, "", "boom\nline2");

        // When rendered as JSON
        String json = results.toJson();

        // Then numbers stay numbers, a failure is null and strings are escaped
        assertThat(json).contains("\"cores\": 2")
                .contains("\"flags\": \"-Xmx1g \\\"quoted\\\"\"")
                .contains("{\"phase\": \"decisions\", \"metric\": \"decisions/s\", \"value\": 12345, \"unit\": \"dec/s\", \"note\": \"N=100000\"}")
                .contains("\"value\": null")
                .contains("\"note\": \"boom\\nline2\"");
    }

    @Test
    void shouldFindValuesAndPrintThemInTheTable() {
        // Given two figures
        Results results = new Results();
        results.add("baseline-b", "records/s", 20_000, "rec/s", "");
        results.add("latency", "@5000/s p99", 12.5, "ms", "target <= 50 ms");

        // Then a figure is found by phase and metric, a missing one is NaN, and the table shows both
        assertThat(results.value("baseline-b", "records/s")).isEqualTo(20_000);
        assertThat(results.value("baseline-a", "records/s")).isNaN();
        assertThat(results.table()).contains("20,000").contains("12.50").contains("target <= 50 ms");
    }

    @Test
    void shouldCountTheRowsOfFailedPhasesOnly() {
        Results results = new Results();
        results.add("decisions", "decisions/s", 9000, "dec/s", "");
        results.add("sink", "error", Double.NaN, "", "java.lang.IllegalStateException: ClickHouse did not start");
        results.add("memory", "@10k users error", Double.NaN, "", "child died");

        assertThat(results.failedRows()).isEqualTo(2);
    }
}
