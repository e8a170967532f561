package io.aicredits.gateway.analytics;

import io.aicredits.analytics.UsageAnalytics;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gateway.analytics.*}: the bounded pool the blocking ClickHouse queries run on, page sizes,
 * and the tariff thresholds a user's cost per active day is matched against.
 *
 * @param queryThreads at most this many ClickHouse queries run at once
 * @param queryQueue   queries waiting for a thread beyond that; more are refused with 503
 * @param tariffs      tariffs from cheapest to dearest; a user gets the first whose
 *                     {@code maxCostPerActiveDayUsd} is at least their {@code AI_Cost_User};
 *                     the last tariff has no limit
 */
@ConfigurationProperties("gateway.analytics")
public record AnalyticsProperties(
        @DefaultValue("4") int queryThreads,
        @DefaultValue("256") int queryQueue,
        @DefaultValue("50") int defaultPageSize,
        List<Tariff> tariffs) {

    /** The tariffs when none are configured (Free, Premium, Pro by cost per active day), as in application.yml. */
    public static final List<Tariff> DEFAULT_TARIFFS = List.of(
            new Tariff("Free", new BigDecimal("0.05")),
            new Tariff("Premium", new BigDecimal("0.25")),
            new Tariff("Pro", null));

    public AnalyticsProperties {
        if (queryThreads < 1 || queryQueue < 1) {
            throw new IllegalArgumentException("gateway.analytics.query-threads and query-queue must be at least 1");
        }
        if (defaultPageSize < 1 || defaultPageSize > UsageAnalytics.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("gateway.analytics.default-page-size must be between 1 and "
                    + UsageAnalytics.MAX_PAGE_SIZE + ": " + defaultPageSize);
        }
        tariffs = tariffs == null || tariffs.isEmpty() ? DEFAULT_TARIFFS : List.copyOf(tariffs);
    }

    /**
     * A tariff and the highest {@code AI_Cost_User} (USD per active day) it covers; {@code null}
     * for no limit.
     */
    public record Tariff(String name, BigDecimal maxCostPerActiveDayUsd) {
    }
}
