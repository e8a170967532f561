package io.aicredits.analytics.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.command.CommandResponse;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Small helpers to talk to ClickHouse 18.16 and current ClickHouse alike through client-v2:
 * literals are escaped here because 18.16 has no query parameters, and results are read as
 * {@code TabSeparated}, a format both versions write identically.
 */
public final class ClickHouseSql {

    private static final long TIMEOUT_SECONDS = 60;

    /** A string literal: {@code 'it\'s'}. Backslashes and quotes are escaped, so any text is safe. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> out.append("\\0");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    /** A Date literal, e.g. {@code toDate('2025-01-31')}. */
    public static String date(LocalDate day) {
        return "toDate('" + day + "')";
    }

    /** Runs a statement that returns no rows (DDL, INSERT ... VALUES). */
    public static void execute(Client client, String sql) {
        try (CommandResponse ignored = client.execute(sql).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            // The response carries only statistics; closing it releases the connection.
        } catch (Exception e) {
            throw failure(sql, e);
        }
    }

    /**
     * Runs a SELECT and returns its rows as unescaped TabSeparated fields. {@code FORMAT
     * TabSeparated} is appended; a NULL comes back as Java {@code null}.
     */
    public static List<List<String>> select(Client client, String sql) {
        String full = sql + "\nFORMAT TabSeparated";
        QuerySettings settings = new QuerySettings().setFormat(ClickHouseFormat.TabSeparated);
        try (QueryResponse response = client.query(full, settings).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
             BufferedReader reader = new BufferedReader(
                     new InputStreamReader(response.getInputStream(), StandardCharsets.UTF_8))) {
            List<List<String>> rows = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                rows.add(parseTsvLine(line));
            }
            return rows;
        } catch (Exception e) {
            throw failure(full, e);
        }
    }

    /** Splits and unescapes one TabSeparated line; {@code \N} becomes {@code null}. */
    public static List<String> parseTsvLine(String line) {
        List<String> fields = new ArrayList<>();
        // Tabs inside values are escaped, so a raw tab always separates fields.
        for (String raw : line.split("\t", -1)) {
            fields.add("\\N".equals(raw) ? null : unescape(raw));
        }
        return fields;
    }

    private static String unescape(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 == raw.length()) {
                out.append(c);
                continue;
            }
            char next = raw.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '0' -> out.append('\0');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                default -> out.append(next);
            }
        }
        return out.toString();
    }

    private static ClickHouseAccessException failure(String sql, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String what = e instanceof TimeoutException ? "timed out" : "failed: " + cause.getMessage();
        return new ClickHouseAccessException("ClickHouse statement " + what + " — " + abbreviate(sql), cause);
    }

    private static String abbreviate(String sql) {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "…";
    }

    private ClickHouseSql() {
    }
}
