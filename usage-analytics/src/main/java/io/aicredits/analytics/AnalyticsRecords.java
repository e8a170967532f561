package io.aicredits.analytics;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Result types of {@link UsageAnalytics}. Money is USD as {@link BigDecimal} (scale 9 = nano-dollars). */
public final class AnalyticsRecords {

    /** One bucket of the cost chart, named by its first day. */
    public record CostPoint(LocalDate bucket, long requests, long tokensInput, long tokensOutput, BigDecimal costUsd) {
    }

    /** Totals for a period. */
    public record Totals(long requests, long failed, long tokensInput, long tokensOutput, BigDecimal costUsd,
                         long activeUsers) {
    }

    /** A user's spend (top users). */
    public record UserCost(String userId, long requests, long tokens, BigDecimal costUsd) {
    }

    /** How often an operation type was used. */
    public record OperationUsage(String operationType, long requests, BigDecimal costUsd) {
    }

    /** A model's share of requests, tokens and cost; shares are fractions 0..1 (scale 6). */
    public record ModelShare(String model, long requests, long tokensInput, long tokensOutput, BigDecimal costUsd,
                             BigDecimal requestShare, BigDecimal tokenShare, BigDecimal costShare) {
    }

    /** A row of the users table. {@code mostUsedModel}: most requests; ties go to the model name sorting last. */
    public record UserRow(String userId, long requests, long tokens, BigDecimal costUsd, String mostUsedModel,
                          Instant lastCall) {
    }

    /** A page of rows; {@code page} counts from 0, {@code total} is the number of rows over all pages. */
    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    /** A row of the operation types table. */
    public record OperationRow(String operationType, String model, long requests, BigDecimal averageCostUsd,
                               BigDecimal totalCostUsd) {
    }

    /** Observed model economics; {@code costPer1kTokensUsd} is null when no tokens were used (e.g. images). */
    public record ModelEfficiency(String model, long requests, long tokens, BigDecimal costUsd,
                                  BigDecimal costPer1kTokensUsd, BigDecimal costPerRequestUsd) {
    }

    /**
     * An operation served by a model whose observed average cost is above the cheapest model seen
     * for the same operation: {@code potentialSavingUsd = requests × (average − cheapest average)}.
     */
    public record ModelRecommendation(String operationType, String currentModel, long requests,
                                      BigDecimal currentAverageCostUsd, String cheaperModel,
                                      BigDecimal cheaperAverageCostUsd, BigDecimal potentialSavingUsd) {
    }

    /** Cost per active day of a user: {@code AI_Cost_User = SUM(cost_usd) / active days}. */
    public record UserEconomics(String userId, long requests, BigDecimal costUsd, long activeDays,
                                BigDecimal costPerActiveDayUsd, BigDecimal costPerRequestUsd) {
    }

    /** Cost per request of an operation: {@code AI_Cost_Operation = SUM(cost_usd) / requests}. */
    public record OperationEconomics(String operationType, long requests, BigDecimal costUsd,
                                     BigDecimal costPerRequestUsd) {
    }

    /**
     * Spend of a calendar month so far and its straight-line projection to the month's end:
     * {@code projectedUsd = spentUsd × daysInMonth / daysElapsed} ({@code daysElapsed} counts today).
     */
    public record MonthForecast(AnalyticsPeriod month, int daysElapsed, int daysInMonth, BigDecimal spentUsd,
                                BigDecimal averageDailyUsd, BigDecimal projectedUsd, List<CostPoint> days) {
    }

    /** One ledger entry of a user: a balance change of a pool, with the balance after it. */
    public record LedgerRow(Instant createdAt, String entryId, String kind, String pool, long delta, long balanceAfter,
                            String operationType, String note) {
    }

    private AnalyticsRecords() {
    }
}
