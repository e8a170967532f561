package io.aicredits.gateway.credits;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The date formats of the credits API (docs/requirements.md). */
public final class Timestamps {

    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RESET_DAY = DateTimeFormatter.ofPattern("M/d/yyyy").withZone(ZoneOffset.UTC);

    /** {@code 2025-01-01T00:00:00.000Z}; null stays null. */
    public static String iso(String instant) {
        return instant == null ? null : ISO_MILLIS.format(Instant.parse(instant));
    }

    public static String iso(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    /** {@code 2/1/2025}: the reset day in the insufficient-credits message. */
    public static String resetDay(Instant instant) {
        return RESET_DAY.format(instant);
    }

    private Timestamps() {
    }
}
