package io.aicredits.gateway.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.analytics.AnalyticsRecords.UserRow;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4180 quoting of the users CSV (the end-to-end test covers commas and quotes from ClickHouse). */
class UsersCsvTest {

    @Test
    void shouldQuoteFieldsWithLineBreaksCommasOrQuotesOnly() {
        assertThat(UsersCsv.field("plain-id_1")).isEqualTo("plain-id_1");
        assertThat(UsersCsv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(UsersCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(UsersCsv.field("line\nbreak")).isEqualTo("\"line\nbreak\"");
        assertThat(UsersCsv.field("cr\rhere")).isEqualTo("\"cr\rhere\"");
    }

    @Test
    void shouldNeutraliseCellsASpreadsheetWouldRunAsFormulas() {
        assertThat(UsersCsv.field("=HYPERLINK(\"http://evil\",\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
        assertThat(UsersCsv.field("+1+cmd|' /C calc'!A0")).isEqualTo("\"'+1+cmd|' /C calc'!A0\"");
        assertThat(UsersCsv.field("-2+3")).isEqualTo("\"'-2+3\"");
        assertThat(UsersCsv.field("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
        assertThat(UsersCsv.field("\t=1")).isEqualTo("\"'\t=1\"");
        assertThat(UsersCsv.field("\r=1")).isEqualTo("\"'\r=1\"");
        // Only the first character matters
        assertThat(UsersCsv.field("a=b")).isEqualTo("a=b");
        assertThat(UsersCsv.field("")).isEmpty();
    }

    @Test
    void shouldNeutraliseFormulaUserIdsInTheRenderedTable() {
        String csv = UsersCsv.render(List.of(new UserRow("=cmd()", 1, 2, new BigDecimal("0.5"), "@model", null)));

        assertThat(csv).isEqualTo(UsersCsv.HEADER + "\r\n\"'=cmd()\",1,2,0.5,\"'@model\",\r\n");
    }

    @Test
    void shouldWriteMoneyExactlyInPlainNotation() {
        String csv = UsersCsv.render(List.of(new UserRow("u", 0, 0, new BigDecimal("0E-9"), "gpt-4o",
                Instant.parse("2025-01-01T00:00:00Z"))));

        assertThat(csv).isEqualTo(UsersCsv.HEADER + "\r\nu,0,0,0.000000000,gpt-4o,2025-01-01T00:00:00Z\r\n");
    }
}
