package io.aicredits.gateway.analytics;

import io.aicredits.sink.analytics.AnalyticsRecords.UserRow;
import java.util.List;

/**
 * The users table as RFC 4180 CSV: a header row, CRLF line ends, and a field quoted (with inner
 * quotes doubled) when it holds a comma, a quote, CR or LF. Money is written exactly, in plain notation.
 */
final class UsersCsv {

    static final String HEADER = "user_id,requests,tokens,cost_usd,most_used_model,last_call";
    static final String CRLF = "\r\n";

    private UsersCsv() {
    }

    static String render(List<UserRow> rows) {
        StringBuilder csv = new StringBuilder(HEADER).append(CRLF);
        for (UserRow row : rows) {
            csv.append(field(row.userId())).append(',')
                    .append(row.requests()).append(',')
                    .append(row.tokens()).append(',')
                    .append(row.costUsd().toPlainString()).append(',')
                    .append(field(row.mostUsedModel())).append(',')
                    .append(row.lastCall() == null ? "" : row.lastCall().toString())
                    .append(CRLF);
        }
        return csv.toString();
    }

    static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\r') >= 0
                || value.indexOf('\n') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
