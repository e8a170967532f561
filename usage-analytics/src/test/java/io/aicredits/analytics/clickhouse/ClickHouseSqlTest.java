package io.aicredits.analytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClickHouseSqlTest {

    @Test
    void shouldEscapeQuotesAndBackslashesInLiterals() {
        assertThat(ClickHouseSql.quote("it's \\ fine'); DROP TABLE x; --"))
                .isEqualTo("'it\\'s \\\\ fine\\'); DROP TABLE x; --'");
        assertThat(ClickHouseSql.quote("a\nb\tc")).isEqualTo("'a\\nb\\tc'");
    }

    @Test
    void shouldFormatDateLiterals() {
        assertThat(ClickHouseSql.date(LocalDate.of(2025, 1, 31))).isEqualTo("toDate('2025-01-31')");
    }

    @Test
    void shouldSplitAndUnescapeTabSeparatedFields() {
        assertThat(ClickHouseSql.parseTsvLine("a\\tb\t\\N\t0.5\t\tx\\\\y\\nz"))
                .isEqualTo(Arrays.asList("a\tb", null, "0.5", "", "x\\y\nz"));
    }
}
