package io.aicredits.gateway.analytics;

import io.aicredits.gateway.analytics.AnalyticsProperties.Tariff;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The recommended tariff: the cheapest tariff whose threshold covers the user's
 * {@code AI_Cost_User} ({@code SUM(cost_usd) / active days}). Thresholds are inclusive.
 */
public final class TariffAdvisor {

    private final List<Tariff> tariffs;

    public TariffAdvisor(List<Tariff> tariffs) {
        Objects.requireNonNull(tariffs, "tariffs");
        if (tariffs.isEmpty()) {
            throw new IllegalArgumentException("gateway.analytics.tariffs must name at least one tariff");
        }
        BigDecimal previous = null;
        for (int i = 0; i < tariffs.size(); i++) {
            Tariff tariff = tariffs.get(i);
            if (tariff.name() == null || tariff.name().isBlank()) {
                throw new IllegalArgumentException("gateway.analytics.tariffs[" + i + "].name must be set");
            }
            boolean last = i == tariffs.size() - 1;
            BigDecimal limit = tariff.maxCostPerActiveDayUsd();
            if (last != (limit == null)) {
                throw new IllegalArgumentException("gateway.analytics.tariffs: only the last tariff ("
                        + tariffs.get(tariffs.size() - 1).name() + ") must have no max-cost-per-active-day-usd");
            }
            if (limit != null && (limit.signum() < 0 || (previous != null && limit.compareTo(previous) <= 0))) {
                throw new IllegalArgumentException("gateway.analytics.tariffs: max-cost-per-active-day-usd must be"
                        + " non-negative and increase from tariff to tariff (" + tariff.name() + ": " + limit + ")");
            }
            previous = limit;
        }
        this.tariffs = List.copyOf(tariffs);
    }

    public String recommend(BigDecimal costPerActiveDayUsd) {
        for (Tariff tariff : tariffs) {
            if (tariff.maxCostPerActiveDayUsd() == null
                    || costPerActiveDayUsd.compareTo(tariff.maxCostPerActiveDayUsd()) <= 0) {
                return tariff.name();
            }
        }
        throw new IllegalStateException("the last tariff has no limit");
    }

    public List<Tariff> tariffs() {
        return tariffs;
    }
}
