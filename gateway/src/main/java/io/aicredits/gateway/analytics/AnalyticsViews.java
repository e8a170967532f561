package io.aicredits.gateway.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.aicredits.analytics.AnalyticsPeriod;
import io.aicredits.analytics.AnalyticsRecords.CostPoint;
import io.aicredits.analytics.AnalyticsRecords.ModelEfficiency;
import io.aicredits.analytics.AnalyticsRecords.ModelRecommendation;
import io.aicredits.analytics.AnalyticsRecords.ModelShare;
import io.aicredits.analytics.AnalyticsRecords.MonthForecast;
import io.aicredits.analytics.AnalyticsRecords.OperationEconomics;
import io.aicredits.analytics.AnalyticsRecords.OperationRow;
import io.aicredits.analytics.AnalyticsRecords.OperationUsage;
import io.aicredits.analytics.AnalyticsRecords.Totals;
import io.aicredits.analytics.AnalyticsRecords.UserCost;
import io.aicredits.analytics.AnalyticsRecords.UserEconomics;
import io.aicredits.analytics.AnalyticsRecords.UserRow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * JSON bodies of the analytics endpoints. Money (USD) and shares are exact decimals written as
 * JSON strings in plain notation ({@code "0.067600000"}), so no client parses them into a double.
 */
final class AnalyticsViews {

    private AnalyticsViews() {
    }

    static String decimal(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    static String instant(Instant value) {
        return value == null ? null : value.toString();
    }

    /** The period asked for; {@code to} is the last day included. */
    record PeriodView(@JsonProperty("from") String from, @JsonProperty("to") String to) {
        static PeriodView of(AnalyticsPeriod period) {
            return new PeriodView(period.from().toString(), AnalyticsParams.lastDay(period).toString());
        }
    }

    record CostPointView(@JsonProperty("bucket") String bucket,
                         @JsonProperty("requests") long requests,
                         @JsonProperty("tokens_input") long tokensInput,
                         @JsonProperty("tokens_output") long tokensOutput,
                         @JsonProperty("cost_usd") String costUsd) {
        static CostPointView of(CostPoint p) {
            return new CostPointView(p.bucket().toString(), p.requests(), p.tokensInput(), p.tokensOutput(), decimal(p.costUsd()));
        }
    }

    record TotalsView(@JsonProperty("requests") long requests,
                      @JsonProperty("failed") long failed,
                      @JsonProperty("tokens_input") long tokensInput,
                      @JsonProperty("tokens_output") long tokensOutput,
                      @JsonProperty("cost_usd") String costUsd,
                      @JsonProperty("active_users") long activeUsers) {
        static TotalsView of(Totals t) {
            return new TotalsView(t.requests(), t.failed(), t.tokensInput(), t.tokensOutput(), decimal(t.costUsd()), t.activeUsers());
        }
    }

    record UserCostView(@JsonProperty("user_id") String userId,
                        @JsonProperty("requests") long requests,
                        @JsonProperty("tokens") long tokens,
                        @JsonProperty("cost_usd") String costUsd) {
        static UserCostView of(UserCost u) {
            return new UserCostView(u.userId(), u.requests(), u.tokens(), decimal(u.costUsd()));
        }
    }

    record OperationUsageView(@JsonProperty("operation_type") String operationType,
                              @JsonProperty("requests") long requests,
                              @JsonProperty("cost_usd") String costUsd) {
        static OperationUsageView of(OperationUsage o) {
            return new OperationUsageView(o.operationType(), o.requests(), decimal(o.costUsd()));
        }
    }

    record ModelShareView(@JsonProperty("model") String model,
                          @JsonProperty("requests") long requests,
                          @JsonProperty("tokens_input") long tokensInput,
                          @JsonProperty("tokens_output") long tokensOutput,
                          @JsonProperty("cost_usd") String costUsd,
                          @JsonProperty("request_share") String requestShare,
                          @JsonProperty("token_share") String tokenShare,
                          @JsonProperty("cost_share") String costShare) {
        static ModelShareView of(ModelShare m) {
            return new ModelShareView(m.model(), m.requests(), m.tokensInput(), m.tokensOutput(), decimal(m.costUsd()),
                    decimal(m.requestShare()), decimal(m.tokenShare()), decimal(m.costShare()));
        }
    }

    /** Main screen: totals, the cost chart, top users, operations and model share. */
    record DashboardView(@JsonProperty("period") PeriodView period,
                         @JsonProperty("granularity") String granularity,
                         @JsonProperty("cost_over_time") List<CostPointView> costOverTime,
                         @JsonProperty("totals") TotalsView totals,
                         @JsonProperty("top_users") List<UserCostView> topUsers,
                         @JsonProperty("popular_operations") List<OperationUsageView> popularOperations,
                         @JsonProperty("model_share") List<ModelShareView> modelShare) {
    }

    record UserRowView(@JsonProperty("user_id") String userId,
                       @JsonProperty("requests") long requests,
                       @JsonProperty("tokens") long tokens,
                       @JsonProperty("cost_usd") String costUsd,
                       @JsonProperty("most_used_model") String mostUsedModel,
                       @JsonProperty("last_call") String lastCall) {
        static UserRowView of(UserRow u) {
            return new UserRowView(u.userId(), u.requests(), u.tokens(), decimal(u.costUsd()), u.mostUsedModel(),
                    instant(u.lastCall()));
        }
    }

    record UsersPageView(@JsonProperty("period") PeriodView period,
                         @JsonProperty("sort") String sort,
                         @JsonProperty("direction") String direction,
                         @JsonProperty("page") int page,
                         @JsonProperty("size") int size,
                         @JsonProperty("total") long total,
                         @JsonProperty("items") List<UserRowView> items) {
    }

    record OperationRowView(@JsonProperty("operation_type") String operationType,
                            @JsonProperty("model") String model,
                            @JsonProperty("requests") long requests,
                            @JsonProperty("average_cost_usd") String averageCostUsd,
                            @JsonProperty("total_cost_usd") String totalCostUsd) {
        static OperationRowView of(OperationRow o) {
            return new OperationRowView(o.operationType(), o.model(), o.requests(), decimal(o.averageCostUsd()),
                    decimal(o.totalCostUsd()));
        }
    }

    record OperationsView(@JsonProperty("period") PeriodView period,
                          @JsonProperty("items") List<OperationRowView> items) {
    }

    record ModelEfficiencyView(@JsonProperty("model") String model,
                               @JsonProperty("requests") long requests,
                               @JsonProperty("tokens") long tokens,
                               @JsonProperty("cost_usd") String costUsd,
                               @JsonProperty("cost_per_1k_tokens_usd") @JsonInclude(JsonInclude.Include.ALWAYS) String costPer1kTokensUsd,
                               @JsonProperty("cost_per_request_usd") String costPerRequestUsd) {
        static ModelEfficiencyView of(ModelEfficiency m) {
            return new ModelEfficiencyView(m.model(), m.requests(), m.tokens(), decimal(m.costUsd()),
                    decimal(m.costPer1kTokensUsd()), decimal(m.costPerRequestUsd()));
        }
    }

    record RecommendationView(@JsonProperty("operation_type") String operationType,
                              @JsonProperty("current_model") String currentModel,
                              @JsonProperty("requests") long requests,
                              @JsonProperty("current_average_cost_usd") String currentAverageCostUsd,
                              @JsonProperty("cheaper_model") String cheaperModel,
                              @JsonProperty("cheaper_average_cost_usd") String cheaperAverageCostUsd,
                              @JsonProperty("potential_saving_usd") String potentialSavingUsd,
                              @JsonProperty("message") String message) {
        static RecommendationView of(ModelRecommendation r) {
            String message = "Serve " + r.operationType() + " with " + r.cheaperModel() + " instead of " + r.currentModel()
                    + ": its " + r.requests() + " request(s) would have cost $" + decimal(r.potentialSavingUsd()) + " less";
            return new RecommendationView(r.operationType(), r.currentModel(), r.requests(),
                    decimal(r.currentAverageCostUsd()), r.cheaperModel(), decimal(r.cheaperAverageCostUsd()),
                    decimal(r.potentialSavingUsd()), message);
        }
    }

    record ModelsView(@JsonProperty("period") PeriodView period,
                      @JsonProperty("models") List<ModelEfficiencyView> models,
                      @JsonProperty("recommendations") List<RecommendationView> recommendations) {
    }

    record UserEconomicsView(@JsonProperty("user_id") String userId,
                             @JsonProperty("requests") long requests,
                             @JsonProperty("cost_usd") String costUsd,
                             @JsonProperty("active_days") long activeDays,
                             @JsonProperty("ai_cost_user") String aiCostUser,
                             @JsonProperty("cost_per_request_usd") String costPerRequestUsd,
                             @JsonProperty("recommended_tariff") String recommendedTariff) {
        static UserEconomicsView of(UserEconomics u, TariffAdvisor advisor) {
            return new UserEconomicsView(u.userId(), u.requests(), decimal(u.costUsd()), u.activeDays(),
                    decimal(u.costPerActiveDayUsd()), decimal(u.costPerRequestUsd()),
                    advisor.recommend(u.costPerActiveDayUsd()));
        }
    }

    record OperationEconomicsView(@JsonProperty("operation_type") String operationType,
                                  @JsonProperty("requests") long requests,
                                  @JsonProperty("cost_usd") String costUsd,
                                  @JsonProperty("ai_cost_operation") String aiCostOperation) {
        static OperationEconomicsView of(OperationEconomics o) {
            return new OperationEconomicsView(o.operationType(), o.requests(), decimal(o.costUsd()),
                    decimal(o.costPerRequestUsd()));
        }
    }

    record TariffView(@JsonProperty("name") String name,
                      @JsonProperty("max_cost_per_active_day_usd") @JsonInclude(JsonInclude.Include.ALWAYS) String maxCostPerActiveDayUsd) {
        static TariffView of(AnalyticsProperties.Tariff t) {
            return new TariffView(t.name(), decimal(t.maxCostPerActiveDayUsd()));
        }
    }

    record EconomicsView(@JsonProperty("period") PeriodView period,
                         @JsonProperty("users") List<UserEconomicsView> users,
                         @JsonProperty("operations") List<OperationEconomicsView> operations,
                         @JsonProperty("tariffs") List<TariffView> tariffs) {
    }

    /**
     * {@code GET /forecast}: the current month's spend and its projection. Budget fields are null
     * when no monthly budget is set; the percentages of the budget have 2 decimals (half-even).
     */
    record ForecastView(@JsonProperty("month") String month,
                        @JsonProperty("period") PeriodView period,
                        @JsonProperty("as_of") String asOf,
                        @JsonProperty("days_elapsed") int daysElapsed,
                        @JsonProperty("days_in_month") int daysInMonth,
                        @JsonProperty("spent_usd") String spentUsd,
                        @JsonProperty("average_daily_usd") String averageDailyUsd,
                        @JsonProperty("projected_usd") String projectedUsd,
                        @JsonProperty("budget_usd") @JsonInclude(JsonInclude.Include.ALWAYS) String budgetUsd,
                        @JsonProperty("spent_percent_of_budget") @JsonInclude(JsonInclude.Include.ALWAYS) String spentPercentOfBudget,
                        @JsonProperty("projected_percent_of_budget") @JsonInclude(JsonInclude.Include.ALWAYS) String projectedPercentOfBudget,
                        @JsonProperty("projected_over_budget") @JsonInclude(JsonInclude.Include.ALWAYS) Boolean projectedOverBudget,
                        @JsonProperty("method") String method,
                        @JsonProperty("daily") List<CostPointView> daily) {

        static final String METHOD = "projected_usd = spent_usd × days_in_month / days_elapsed: the average daily spend"
                + " of the month's days so far (today counted as a whole day), from the daily usage aggregate, carried"
                + " over the whole month";

        static ForecastView of(LocalDate today, MonthForecast f, BigDecimal budget) {
            return new ForecastView(f.month().from().toString().substring(0, 7), PeriodView.of(f.month()), today.toString(),
                    f.daysElapsed(), f.daysInMonth(), decimal(f.spentUsd()), decimal(f.averageDailyUsd()),
                    decimal(f.projectedUsd()), budget == null ? null : budget.toPlainString(),
                    budget == null ? null : percent(f.spentUsd(), budget),
                    budget == null ? null : percent(f.projectedUsd(), budget),
                    budget == null ? null : f.projectedUsd().compareTo(budget) > 0,
                    METHOD, f.days().stream().map(CostPointView::of).toList());
        }

        private static String percent(BigDecimal part, BigDecimal whole) {
            return decimal(part.multiply(BigDecimal.valueOf(100)).divide(whole, 2, RoundingMode.HALF_EVEN));
        }
    }
}
