package io.aicredits.schemas;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** USD amounts on the wire: integer nano-dollars (1e-9 USD), as in {@code UsageEvent.cost_usd_nanos}. */
public final class UsdNanos {

    private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);

    private UsdNanos() {
    }

    /** Exact USD to nano-dollars, rounded half-up once. */
    public static long fromUsd(BigDecimal usd) {
        return usd.multiply(NANOS_PER_USD).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Nano-dollars as an exact USD amount (scale 9). */
    public static BigDecimal toUsd(long nanos) {
        return BigDecimal.valueOf(nanos, 9);
    }

    /** Nano-dollars as people read them in messages: {@code $8.50}, rounded down to cents. */
    public static String format(long nanos) {
        return "$" + toUsd(nanos).setScale(2, RoundingMode.DOWN).toPlainString();
    }
}
