package io.aicredits.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class UsdNanosTest {

    @Test
    void shouldConvertExactUsdToNanosRoundingHalfUpOnce() {
        assertThat(UsdNanos.fromUsd(new BigDecimal("0.0123"))).isEqualTo(12_300_000L);
        assertThat(UsdNanos.fromUsd(new BigDecimal("5.00"))).isEqualTo(5_000_000_000L);
        assertThat(UsdNanos.fromUsd(new BigDecimal("0.0000000005"))).isEqualTo(1L);
        assertThat(UsdNanos.fromUsd(new BigDecimal("0.0000000004"))).isZero();
    }

    @Test
    void shouldShowNanosAsAnExactUsdAmount() {
        assertThat(UsdNanos.toUsd(12_300_000L)).isEqualByComparingTo("0.0123");
        assertThat(UsdNanos.toUsd(1L)).isEqualTo(new BigDecimal("0.000000001"));
    }

    @Test
    void shouldFormatNanosAsDollarsAndCentsRoundingDown() {
        assertThat(UsdNanos.format(8_500_000_000L)).isEqualTo("$8.50");
        assertThat(UsdNanos.format(1_999_999_999L)).isEqualTo("$1.99");
        assertThat(UsdNanos.format(0L)).isEqualTo("$0.00");
    }

    @Test
    void shouldRefuseAnAmountBeyondALong() {
        assertThatThrownBy(() -> UsdNanos.fromUsd(new BigDecimal("1e12"))).isInstanceOf(ArithmeticException.class);
    }
}
