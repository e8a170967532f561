package io.aicredits.analytics.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TabSeparatedRowsTest {

    private static final List<String> COLUMNS = List.of("text", "number", "decimal", "time");

    private static MappedRow row(Object... values) {
        return new MappedRow(0, 202501, COLUMNS, Arrays.asList(values));
    }

    private static String encode(MappedRow... rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TabSeparatedRows.write(List.of(rows), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldEscapeBackslashTabLineBreaksAndNulSoEachRowIsOneLine() throws IOException {
        String encoded = encode(row("a\\b\tc\nd\re\0f", 1L, BigDecimal.ONE, Instant.EPOCH));

        assertThat(encoded).isEqualTo("a\\\\b\\tc\\nd\\re\\0f\t1\t1\t1970-01-01 00:00:00\n");
    }

    @Test
    void shouldWriteNullAsBackslashNAndKeepATextThatReadsBackslashNAString() throws IOException {
        assertThat(encode(row(null, null, null, null))).isEqualTo("\\N\t\\N\t\\N\t\\N\n");
        assertThat(encode(row("\\N", 0L, BigDecimal.ZERO, Instant.EPOCH))).startsWith("\\\\N\t");
        assertThat(encode(row("", 0L, BigDecimal.ZERO, Instant.EPOCH))).startsWith("\t0\t");
    }

    @Test
    void shouldWriteUnicodeAsUtf8IncludingCharactersOutsideTheBasicPlane() throws IOException {
        String text = "Привіт 你好 é 🎉 'quotes' \"double\"";

        assertThat(encode(row(text, 0L, BigDecimal.ZERO, Instant.EPOCH))).startsWith(text + "\t");
    }

    @Test
    void shouldWriteExtremeNumbersPlainDecimalsAndUtcSeconds() throws IOException {
        String encoded = encode(
                row("min", Long.MIN_VALUE, new BigDecimal("0.000000001"), Instant.parse("2105-12-31T23:59:59.999Z")),
                row("max", Long.MAX_VALUE, new BigDecimal("999999999.999999999"), Instant.parse("2025-01-31T23:59:59.750Z")));

        assertThat(encoded).isEqualTo("min\t-9223372036854775808\t0.000000001\t2105-12-31 23:59:59\n"
                + "max\t9223372036854775807\t999999999.999999999\t2025-01-31 23:59:59\n");
    }

    @Test
    void shouldEncodeTextsLongerThanOneChunkWhole() throws IOException {
        String longText = "é\t".repeat(100_000);

        String encoded = encode(row(longText, 7L, BigDecimal.ONE, Instant.EPOCH));

        assertThat(encoded).isEqualTo("é\\t".repeat(100_000) + "\t7\t1\t1970-01-01 00:00:00\n");
    }

    @Test
    void shouldRefuseRowsOfDifferentColumnsAndValuesNoColumnHas() {
        MappedRow other = new MappedRow(1, 202501, List.of("x"), Arrays.asList("y"));

        assertThatThrownBy(() -> encode(row("a", 1L, BigDecimal.ONE, Instant.EPOCH), other))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("columns");
        assertThatThrownBy(() -> encode(row("a", 1.5d, BigDecimal.ONE, Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Double");
    }
}
