package io.aicredits.gateway.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.sink.analytics.AnalyticsRecords.UserRow;
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
    void shouldWriteMoneyExactlyInPlainNotation() {
        String csv = UsersCsv.render(List.of(new UserRow("u", 0, 0, new BigDecimal("0E-9"), "gpt-4o",
                Instant.parse("2025-01-01T00:00:00Z"))));

        assertThat(csv).isEqualTo(UsersCsv.HEADER + "\r\nu,0,0,0.000000000,gpt-4o,2025-01-01T00:00:00Z\r\n");
    }
}
