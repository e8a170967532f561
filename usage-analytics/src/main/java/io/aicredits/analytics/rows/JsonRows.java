package io.aicredits.analytics.rows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes JSONEachRow lines that ClickHouse 18.16 and current ClickHouse both parse the same way:
 * Decimals as plain unquoted numbers (18.16 rejects quoted decimals), DateTime as
 * {@code yyyy-MM-dd HH:mm:ss} in UTC (the columns are {@code DateTime('UTC')}).
 */
final class JsonRows {

    /** Largest |value| of a Decimal(18, 9) in nano-units: 999,999,999.999999999. */
    static final long MAX_DECIMAL_18_9_NANOS = 999_999_999_999_999_999L;
    /** DateTime holds seconds from 1970 up to 2105. */
    static final long MAX_DATETIME_SECONDS = 4_294_967_295L;

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final StringWriter out = new StringWriter(512);
    private final JsonGenerator json;

    JsonRows() {
        try {
            json = JSON.createGenerator(out);
            json.writeStartObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonRows string(String name, String value) {
        try {
            if (value == null) {
                json.writeNullField(name);
            } else {
                json.writeStringField(name, value);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonRows number(String name, Long value) {
        try {
            if (value == null) {
                json.writeNullField(name);
            } else {
                json.writeNumberField(name, value);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonRows decimal(String name, BigDecimal value) {
        try {
            json.writeFieldName(name);
            json.writeNumber(value.toPlainString());
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonRows dateTime(String name, Instant value) {
        return string(name, DATE_TIME.format(value));
    }

    String finish() {
        try {
            json.writeEndObject();
            json.close();
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A map as a JSON object text with keys in order, e.g. for the {@code metadata} column. */
    static String objectText(Map<? extends CharSequence, ? extends CharSequence> map) {
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
        var date = instant.atOffset(ZoneOffset.UTC);
        return date.getYear() * 100 + date.getMonthValue();
    }

    static Instant checkedDateTime(String field, Instant value) {
        if (value == null) {
            throw new UnmappableEventException(field + " is missing");
        }
        long seconds = value.getEpochSecond();
        if (seconds < 0 || seconds > MAX_DATETIME_SECONDS) {
            throw new UnmappableEventException(field + " " + value + " is outside ClickHouse DateTime (1970..2106)");
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
