package io.aicredits.gateway.analytics;

import io.aicredits.analytics.AnalyticsRecords.UserRow;
import java.util.List;

/**
 * The users table as RFC 4180 CSV: a header row, CRLF line ends, and a field quoted (with inner
 * quotes doubled) when it holds a comma, a quote, CR or LF. Money is written exactly, in plain notation.
 * A text field a spreadsheet would run as a formula (starting with {@code =}, {@code +}, {@code -},
 * {@code @}, tab or CR) is prefixed with {@code '} and quoted, as OWASP's CSV injection advice says.
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

    private static final String FORMULA_STARTS = "=+-@\t\r";

    static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean formula = !value.isEmpty() && FORMULA_STARTS.indexOf(value.charAt(0)) >= 0;
        String text = formula ? "'" + value : value;
        boolean quote = formula || text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\r') >= 0
                || text.indexOf('\n') >= 0;
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
