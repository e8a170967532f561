package io.aicredits.alerts;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** USD as nano-dollars (long) and its display. */
public final class Money {

    private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);

    private Money() {
    }

    public static long nanos(BigDecimal usd) {
        return usd.multiply(NANOS_PER_USD).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** {@code $8.50}: rounded down to cents. */
    public static String usd(long nanos) {
        return "$" + BigDecimal.valueOf(nanos).divide(NANOS_PER_USD, 2, RoundingMode.DOWN).toPlainString();
    }
}
