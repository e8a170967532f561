package io.aicredits.analytics.rows;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Encodes {@link MappedRow}s as ClickHouse {@code TabSeparated} input, which 18.16 and current
 * ClickHouse parse the same way: one line per row, fields separated by a tab, UTF-8.
 *
 * <ul>
 *   <li>String: as is, with backslash, tab, line feed, carriage return and NUL escaped
 *       ({@code \\ \t \n \r \0}); so a raw tab or line feed only ever separates fields and rows.</li>
 *   <li>{@code null} (a Nullable column): {@code \N}. A string that reads {@code \N} is written
 *       {@code \\N}, so it stays a string.</li>
 *   <li>Integers: decimal digits. Decimal: {@link BigDecimal#toPlainString()} (never an exponent).</li>
 *   <li>DateTime: {@code yyyy-MM-dd HH:mm:ss} in UTC (the columns are {@code DateTime('UTC')}).</li>
 * </ul>
 *
 * <p>Rows are written straight from their values, without building a text per row.
 */
public final class TabSeparatedRows {

    /** What {@code INSERT ... FORMAT} names this encoding. */
    public static final String FORMAT = "TabSeparated";

    private static final int CHUNK = 64 * 1024;
    /** The most one step of a string writes: an escaped char (2 bytes) or a surrogate pair (4 bytes). */
    private static final int MAX_STEP = 4;

    private final OutputStream out;
    private final byte[] chunk = new byte[CHUNK];
    private int pos;

    private TabSeparatedRows(OutputStream out) {
        this.out = out;
    }

    /**
     * Writes the rows, which must all have the same columns, to {@code out} (not closed).
     *
     * @throws IllegalArgumentException when a row's columns differ from the first row's, or a
     *                                  value has a type no column of ours has
     */
    public static void write(List<MappedRow> rows, OutputStream out) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        List<String> columns = rows.get(0).columns();
        TabSeparatedRows tsv = new TabSeparatedRows(out);
        for (MappedRow row : rows) {
            if (row.columns() != columns && !row.columns().equals(columns)) {
                throw new IllegalArgumentException("row at offset " + row.offset() + " has columns " + row.columns()
                        + ", the first row " + columns);
            }
            tsv.row(row.values());
        }
        tsv.flush();
    }

    private void row(List<Object> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                ascii('\t');
            }
            value(values.get(i));
        }
        ascii('\n');
    }

    private void value(Object value) throws IOException {
        if (value == null) {
            ascii('\\');
            ascii('N');
        } else if (value instanceof String text) {
            string(text);
        } else if (value instanceof Long number) {
            number(number);
        } else if (value instanceof BigDecimal decimal) {
            asciiText(decimal.toPlainString());
        } else if (value instanceof Instant instant) {
            dateTime(instant.getEpochSecond());
        } else {
            throw new IllegalArgumentException("no TabSeparated encoding for a " + value.getClass().getName());
        }
    }

    private void string(String text) throws IOException {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            if (pos + MAX_STEP > CHUNK) {
                flush();
            }
            char c = text.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> escaped('\\');
                    case '\t' -> escaped('t');
                    case '\n' -> escaped('n');
                    case '\r' -> escaped('r');
                    case '\0' -> escaped('0');
                    default -> chunk[pos++] = (byte) c;
                }
            } else if (c < 0x800) {
                chunk[pos++] = (byte) (0xC0 | (c >> 6));
                chunk[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                chunk[pos++] = (byte) (0xF0 | (codePoint >> 18));
                chunk[pos++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                chunk[pos++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                chunk[pos++] = (byte) (0x80 | (codePoint & 0x3F));
            } else if (Character.isSurrogate(c)) {
                chunk[pos++] = '?'; // an unpaired surrogate, as String.getBytes(UTF_8) writes it
            } else {
                chunk[pos++] = (byte) (0xE0 | (c >> 12));
                chunk[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                chunk[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    private void escaped(char c) {
        chunk[pos++] = '\\';
        chunk[pos++] = (byte) c;
    }

    private void number(long value) throws IOException {
        if (value == Long.MIN_VALUE) {
            asciiText(Long.toString(value));
            return;
        }
        if (pos + 20 > CHUNK) {
            flush();
        }
        if (value < 0) {
            chunk[pos++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        for (int i = pos + digits - 1; i >= pos; i--) {
            chunk[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        pos += digits;
    }

    private void dateTime(long epochSecond) throws IOException {
        if (epochSecond < 0 || epochSecond > RowValues.MAX_DATETIME_SECONDS) {
            throw new IllegalArgumentException("outside ClickHouse DateTime (1970..2105): " + Instant.ofEpochSecond(epochSecond));
        }
        if (pos + 19 > CHUNK) {
            flush();
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        padded(time.getYear(), 4);
        chunk[pos++] = '-';
        padded(time.getMonthValue(), 2);
        chunk[pos++] = '-';
        padded(time.getDayOfMonth(), 2);
        chunk[pos++] = ' ';
        padded(time.getHour(), 2);
        chunk[pos++] = ':';
        padded(time.getMinute(), 2);
        chunk[pos++] = ':';
        padded(time.getSecond(), 2);
    }

    private void padded(int value, int width) {
        for (int i = pos + width - 1; i >= pos; i--) {
            chunk[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        pos += width;
    }

    private void asciiText(String text) throws IOException {
        for (int i = 0; i < text.length(); i++) {
            ascii(text.charAt(i));
        }
    }

    private void ascii(char c) throws IOException {
        if (pos == CHUNK) {
            flush();
        }
        chunk[pos++] = (byte) c;
    }

    private void flush() throws IOException {
        out.write(chunk, 0, pos);
        pos = 0;
    }
}
