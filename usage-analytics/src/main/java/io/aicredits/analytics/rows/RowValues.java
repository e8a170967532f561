package io.aicredits.analytics.rows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects one row's column values in table order, and checks events against what the columns can
 * hold. Values are kept as Java values ({@code String}, {@code Long}, {@code BigDecimal},
 * {@code Instant}, {@code null} for a Nullable column); how they are encoded for an insert is
 * {@link TabSeparatedRows}' business.
 */
final class RowValues {

    /** Largest |value| of a Decimal(18, 9) in nano-units: 999,999,999.999999999. */
    static final long MAX_DECIMAL_18_9_NANOS = 999_999_999_999_999_999L;
    /**
     * The last second of 2105. DateTime is a UInt32 (up to 2106-02-07 06:28:15), but 18.16's date
     * tables end with 2105: it parses a text time in 2106 into 1970 without an error.
     */
    static final long MAX_DATETIME_SECONDS = Instant.parse("2105-12-31T23:59:59Z").getEpochSecond();

    private static final JsonFactory JSON = new JsonFactory();

    private final Columns columns;
    /** The names every row of this mapper has, once known; null while the first row is built. */
    private final List<String> known;
    private final List<String> learning;
    private final List<Object> values;

    /** Starts a row of the table whose column names {@code columns} holds (or learns from this row). */
    RowValues(Columns columns) {
        this.columns = columns;
        this.known = columns.names;
        this.learning = known == null ? new ArrayList<>() : null;
        this.values = new ArrayList<>(known == null ? 24 : known.size());
    }

    /** A String column; {@code null} only for a Nullable(String) column. */
    RowValues string(String column, String value) {
        return put(column, value);
    }

    /** An integer column (UInt*, Int*); {@code null} only for a Nullable one. */
    RowValues number(String column, Long value) {
        return put(column, value);
    }

    /** A Decimal column. */
    RowValues decimal(String column, BigDecimal value) {
        return put(column, value);
    }

    /** A DateTime('UTC') column (whole seconds; checked with {@link #checkedDateTime}). */
    RowValues dateTime(String column, Instant value) {
        return put(column, value);
    }

    private RowValues put(String column, Object value) {
        if (known == null) {
            learning.add(column);
        } else if (values.size() >= known.size() || !column.equals(known.get(values.size()))) {
            throw new IllegalStateException("column " + column + " at position " + values.size() + " of " + known);
        }
        values.add(value);
        return this;
    }

    MappedRow finish(long offset, int month) {
        List<String> names = known;
        if (names == null) {
            names = List.copyOf(learning);
            columns.names = names;
        } else if (values.size() != names.size()) {
            throw new IllegalStateException(values.size() + " values for the columns " + names);
        }
        return new MappedRow(offset, month, names, values);
    }

    /**
     * The column names of one table's rows, learned from the first row a mapper builds: every later
     * row must name the same columns in the same order, and shares this one list (so a batch of
     * rows carries its column names once).
     */
    static final class Columns {
        private volatile List<String> names;
    }

    /** A map as a JSON object text with keys in order, e.g. for the {@code metadata} column. */
    static String objectText(Map<? extends CharSequence, ? extends CharSequence> map) {
        if (map == null || map.isEmpty()) {
            return "{}";
        }
        StringWriter text = new StringWriter();
        try (JsonGenerator object = JSON.createGenerator(text)) {
            object.writeStartObject();
            Map<String, String> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(k.toString(), v == null ? null : v.toString()));
            for (Map.Entry<String, String> entry : sorted.entrySet()) {
                object.writeStringField(entry.getKey(), entry.getValue());
            }
            object.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** {@code toYYYYMM} of an instant in UTC. */
    static int month(Instant instant) {
        // From the epoch day: Instant.atOffset would build the offset's zone rules on every call.
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(instant.getEpochSecond(), 86_400L));
        return date.getYear() * 100 + date.getMonthValue();
    }

    static Instant checkedDateTime(String field, Instant value) {
        if (value == null) {
            throw new UnmappableEventException(field + " is missing");
        }
        long seconds = value.getEpochSecond();
        if (seconds < 0 || seconds > MAX_DATETIME_SECONDS) {
            throw new UnmappableEventException(field + " " + value + " is outside ClickHouse DateTime (1970..2105)");
        }
        return value;
    }

    static String required(String field, CharSequence value) {
        if (value == null || value.toString().isBlank()) {
            throw new UnmappableEventException(field + " is missing");
        }
        return value.toString();
    }

    static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new UnmappableEventException(field + " must not be negative: " + value);
        }
        return value;
    }

    static String text(CharSequence value) {
        return value == null ? null : value.toString();
    }
}
