package io.aicredits.alerts.report;

import io.aicredits.analytics.AnalyticsRecords.OperationUsage;
import io.aicredits.analytics.AnalyticsRecords.Totals;
import io.aicredits.analytics.AnalyticsRecords.UserCost;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The super admins' daily summary: the day's and the month-to-date cost, top users
 * and top operations of the day, and how much of the platform's monthly budget is used.
 *
 * @param day                 the day reported (UTC)
 * @param today               totals of the day
 * @param monthToDate         totals from the 1st to the end of {@code day}
 * @param topUsers            the day's users by cost, most expensive first
 * @param topOperations       the day's operations by requests
 * @param monthlyBudgetUsd    platform monthly budget (null: none)
 */
public record DailyReport(LocalDate day, Totals today, Totals monthToDate, List<UserCost> topUsers,
                          List<OperationUsage> topOperations, BigDecimal monthlyBudgetUsd) {

    /** Month-to-date cost as a percentage of the monthly budget (one decimal), or null without a budget. */
    public BigDecimal budgetUsedPercent() {
        if (monthlyBudgetUsd == null || monthlyBudgetUsd.signum() == 0) {
            return null;
        }
        return monthToDate.costUsd().multiply(BigDecimal.valueOf(100)).divide(monthlyBudgetUsd, 1, RoundingMode.HALF_UP);
    }

    public String subject() {
        return "AI usage report " + day + ": $" + usd(today.costUsd()) + " today, $" + usd(monthToDate.costUsd()) + " this month";
    }

    /** Plain text body (email and Telegram). */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("AI usage report for ").append(day).append(" (UTC)\n\n");
        b.append("Cost today: $").append(usd(today.costUsd())).append(" (").append(today.requests()).append(" requests, ")
                .append(today.failed()).append(" failed, ").append(today.activeUsers()).append(" active users)\n");
        b.append("Cost month to date: $").append(usd(monthToDate.costUsd())).append(" (").append(monthToDate.requests())
                .append(" requests)\n");
        BigDecimal used = budgetUsedPercent();
        b.append("Monthly budget: ").append(used == null ? "none set"
                : "$" + usd(monthToDate.costUsd()) + " of $" + usd(monthlyBudgetUsd) + " (" + used.toPlainString() + "%)").append('\n');
        b.append("\nTop users today:\n");
        if (topUsers.isEmpty()) {
            b.append("  (none)\n");
        }
        for (int i = 0; i < topUsers.size(); i++) {
            UserCost u = topUsers.get(i);
            b.append("  ").append(i + 1).append(". ").append(u.userId()).append(": $").append(usd(u.costUsd())).append(", ")
                    .append(u.requests()).append(" requests, ").append(u.tokens()).append(" tokens\n");
        }
        b.append("\nTop operations today:\n");
        if (topOperations.isEmpty()) {
            b.append("  (none)\n");
        }
        for (OperationUsage o : topOperations) {
            b.append("  ").append(o.operationType()).append(": ").append(o.requests()).append(" requests, $")
                    .append(usd(o.costUsd())).append('\n');
        }
        return b.toString();
    }

    /** Structured fields for the JSON webhook. */
    public Map<String, Object> payload() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "daily_report");
        p.put("day", day.toString());
        p.put("cost_today_usd", today.costUsd().toPlainString());
        p.put("requests_today", today.requests());
        p.put("cost_month_to_date_usd", monthToDate.costUsd().toPlainString());
        p.put("monthly_budget_usd", monthlyBudgetUsd == null ? null : monthlyBudgetUsd.toPlainString());
        BigDecimal used = budgetUsedPercent();
        p.put("budget_used_percent", used == null ? null : used.toPlainString());
        p.put("top_users", topUsers.stream().map(u -> Map.of("user_id", u.userId(), "cost_usd", u.costUsd().toPlainString(),
                "requests", u.requests())).toList());
        p.put("top_operations", topOperations.stream().map(o -> Map.of("operation_type", o.operationType(),
                "requests", o.requests(), "cost_usd", o.costUsd().toPlainString())).toList());
        return p;
    }

    /** Dollars with 4 decimals (AI calls cost fractions of a cent), rounded half up. */
    static String usd(BigDecimal usd) {
        return usd.setScale(4, RoundingMode.HALF_UP).toPlainString();
    }
}
