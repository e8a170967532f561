package io.aicredits.analytics;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.AnalyticsRecords.CostPoint;
import io.aicredits.analytics.AnalyticsRecords.LedgerRow;
import io.aicredits.analytics.AnalyticsRecords.ModelEfficiency;
import io.aicredits.analytics.AnalyticsRecords.ModelRecommendation;
import io.aicredits.analytics.AnalyticsRecords.ModelShare;
import io.aicredits.analytics.AnalyticsRecords.MonthForecast;
import io.aicredits.analytics.AnalyticsRecords.OperationEconomics;
import io.aicredits.analytics.AnalyticsRecords.OperationRow;
import io.aicredits.analytics.AnalyticsRecords.OperationUsage;
import io.aicredits.analytics.AnalyticsRecords.Page;
import io.aicredits.analytics.AnalyticsRecords.Totals;
import io.aicredits.analytics.AnalyticsRecords.UserCost;
import io.aicredits.analytics.AnalyticsRecords.UserEconomics;
import io.aicredits.analytics.AnalyticsRecords.UserRow;
import io.aicredits.analytics.clickhouse.ClickHouseSql;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SuperAdmin analytics (dashboard, users, operation types, models, cost per active day and per request) as
 * SQL over the daily aggregate {@value #DAILY}, never the raw rows. Works on ClickHouse 18.16 and
 * current ClickHouse: no query parameters (dates are formatted from {@link LocalDate}, sort
 * columns come from enums, numbers are ints), results read as TabSeparated.
 *
 * <p>Averages and ratios are divided in Java with {@link BigDecimal}, to 9 decimals (nano-dollars),
 * rounding half-even. Thread-safe; one instance per client.
 */
public final class UsageAnalytics {

    public static final String DAILY = "usage_daily";
    public static final String LEDGER = "credit_ledger";
    public static final int MAX_PAGE_SIZE = 1000;
    static final int MONEY_SCALE = 9;
    static final int SHARE_SCALE = 6;

    private final Client client;

    public UsageAnalytics(Client client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Cost chart: one point per day, ISO week or month that has usage, oldest first. */
    public List<CostPoint> costOverTime(AnalyticsPeriod period, Granularity granularity) {
        String sql = "SELECT " + granularity.bucketExpression + " AS bucket, sum(requests), sum(tokens_input), "
                + "sum(tokens_output), sum(cost_usd) FROM " + DAILY + where(period)
                + " GROUP BY bucket ORDER BY bucket";
        return select(sql, row -> new CostPoint(LocalDate.parse(row.get(0)), toLong(row.get(1)), toLong(row.get(2)),
                toLong(row.get(3)), money(row.get(4))));
    }

    /** Total cost, requests and tokens of a period, and how many users were active. */
    public Totals totals(AnalyticsPeriod period) {
        String sql = "SELECT sum(requests), sum(failed), sum(tokens_input), sum(tokens_output), sum(cost_usd), "
                + "uniqExact(user_id) FROM " + DAILY + where(period);
        return select(sql, row -> new Totals(toLong(row.get(0)), toLong(row.get(1)), toLong(row.get(2)),
                toLong(row.get(3)), money(row.get(4)), toLong(row.get(5)))).get(0);
    }

    /** The {@code limit} users who cost most (ties: user id ascending). */
    public List<UserCost> topUsersByCost(AnalyticsPeriod period, int limit) {
        checkLimit(limit);
        String sql = "SELECT user_id, sum(requests), sum(tokens_input) + sum(tokens_output), sum(cost_usd) AS total_cost"
                + " FROM " + DAILY + where(period)
                + " GROUP BY user_id ORDER BY total_cost DESC, user_id ASC LIMIT " + limit;
        return select(sql, row -> new UserCost(row.get(0), toLong(row.get(1)), toLong(row.get(2)), money(row.get(3))));
    }

    /** Operation types by number of requests, most used first. */
    public List<OperationUsage> popularOperations(AnalyticsPeriod period) {
        String sql = "SELECT operation_type, sum(requests) AS total_requests, sum(cost_usd) FROM " + DAILY + where(period)
                + " GROUP BY operation_type ORDER BY total_requests DESC, operation_type ASC";
        return select(sql, row -> new OperationUsage(row.get(0), toLong(row.get(1)), money(row.get(2))));
    }

    /** Each model's requests, tokens and cost and its share of the period's totals (pie chart). */
    public List<ModelShare> modelShare(AnalyticsPeriod period) {
        String sql = "SELECT model, sum(requests) AS total_requests, sum(tokens_input), sum(tokens_output), sum(cost_usd)"
                + " FROM " + DAILY + where(period) + " GROUP BY model ORDER BY total_requests DESC, model ASC";
        record Raw(String model, long requests, long in, long out, BigDecimal cost) {
        }
        List<Raw> raws = select(sql, row -> new Raw(row.get(0), toLong(row.get(1)), toLong(row.get(2)),
                toLong(row.get(3)), money(row.get(4))));
        long requests = raws.stream().mapToLong(Raw::requests).sum();
        long tokens = raws.stream().mapToLong(r -> r.in() + r.out()).sum();
        BigDecimal cost = raws.stream().map(Raw::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
        return raws.stream().map(r -> new ModelShare(r.model(), r.requests(), r.in(), r.out(), r.cost(),
                share(BigDecimal.valueOf(r.requests()), BigDecimal.valueOf(requests)),
                share(BigDecimal.valueOf(r.in() + r.out()), BigDecimal.valueOf(tokens)),
                share(r.cost(), cost))).toList();
    }

    /**
     * The users table: requests, tokens, cost, most-used model and last call per user, sorted by a
     * whitelisted column (ties: user id ascending) and paged ({@code page} from 0).
     */
    public Page<UserRow> users(AnalyticsPeriod period, UserSort sort, SortDirection direction, int page, int size) {
        Objects.requireNonNull(sort, "sort");
        Objects.requireNonNull(direction, "direction");
        if (page < 0) {
            throw new IllegalArgumentException("page must not be negative: " + page);
        }
        checkLimit(size);
        long offset = (long) page * size;
        String perModel = "SELECT user_id, model, sum(requests) AS model_requests,"
                + " sum(tokens_input) + sum(tokens_output) AS model_tokens, sum(cost_usd) AS model_cost,"
                + " maxMerge(last_call) AS model_last_call FROM " + DAILY + where(period) + " GROUP BY user_id, model";
        String sql = "SELECT user_id, sum(model_requests) AS total_requests, sum(model_tokens) AS total_tokens,"
                + " sum(model_cost) AS total_cost, argMax(model, tuple(model_requests, model)),"
                + " toUnixTimestamp(max(model_last_call)) AS last_call_at"
                + " FROM (" + perModel + ") GROUP BY user_id"
                + " ORDER BY " + sort.column + " " + direction.name()
                + (sort == UserSort.USER ? "" : ", user_id ASC")
                + " LIMIT " + size + " OFFSET " + offset;
        List<UserRow> items = select(sql, row -> new UserRow(row.get(0), toLong(row.get(1)), toLong(row.get(2)),
                money(row.get(3)), row.get(4), Instant.ofEpochSecond(toLong(row.get(5)))));
        long total = toLong(ClickHouseSql.select(client,
                "SELECT uniqExact(user_id) FROM " + DAILY + where(period)).get(0).get(0));
        return new Page<>(items, page, size, total);
    }

    /** The operation types table: per operation and model, requests, average and total cost. */
    public List<OperationRow> operationTypes(AnalyticsPeriod period) {
        String sql = "SELECT operation_type, model, sum(requests), sum(cost_usd) FROM " + DAILY + where(period)
                + " GROUP BY operation_type, model ORDER BY operation_type ASC, model ASC";
        return select(sql, row -> {
            long requests = toLong(row.get(2));
            BigDecimal total = money(row.get(3));
            return new OperationRow(row.get(0), row.get(1), requests, divide(total, requests), total);
        });
    }

    /** Cost actually observed per 1,000 tokens and per request, for each model (cheapest per request first). */
    public List<ModelEfficiency> modelEfficiency(AnalyticsPeriod period) {
        String sql = "SELECT model, sum(requests), sum(tokens_input) + sum(tokens_output), sum(cost_usd) FROM " + DAILY
                + where(period) + " GROUP BY model ORDER BY model ASC";
        List<ModelEfficiency> rows = select(sql, row -> {
            long requests = toLong(row.get(1));
            long tokens = toLong(row.get(2));
            BigDecimal cost = money(row.get(3));
            BigDecimal per1k = tokens == 0 ? null
                    : cost.multiply(BigDecimal.valueOf(1000)).divide(BigDecimal.valueOf(tokens), MONEY_SCALE, RoundingMode.HALF_EVEN);
            return new ModelEfficiency(row.get(0), requests, tokens, cost, per1k, divide(cost, requests));
        });
        return rows.stream().sorted(Comparator.comparing(ModelEfficiency::costPerRequestUsd)
                .thenComparing(ModelEfficiency::model)).toList();
    }

    /**
     * For each operation served by several models: what moving each pricier model's requests to the
     * cheapest observed model (by average cost per request) would have saved. Largest saving first.
     */
    public List<ModelRecommendation> cheaperModelRecommendations(AnalyticsPeriod period) {
        Map<String, List<OperationRow>> byOperation = new LinkedHashMap<>();
        for (OperationRow row : operationTypes(period)) {
            byOperation.computeIfAbsent(row.operationType(), k -> new ArrayList<>()).add(row);
        }
        List<ModelRecommendation> recommendations = new ArrayList<>();
        for (List<OperationRow> rows : byOperation.values()) {
            OperationRow cheapest = rows.stream().min(Comparator.comparing(OperationRow::averageCostUsd)
                    .thenComparing(OperationRow::model)).orElseThrow();
            for (OperationRow row : rows) {
                BigDecimal difference = row.averageCostUsd().subtract(cheapest.averageCostUsd());
                if (difference.signum() > 0) {
                    recommendations.add(new ModelRecommendation(row.operationType(), row.model(), row.requests(),
                            row.averageCostUsd(), cheapest.model(), cheapest.averageCostUsd(),
                            difference.multiply(BigDecimal.valueOf(row.requests())).setScale(MONEY_SCALE, RoundingMode.HALF_EVEN)));
                }
            }
        }
        recommendations.sort(Comparator.comparing(ModelRecommendation::potentialSavingUsd).reversed()
                .thenComparing(ModelRecommendation::operationType).thenComparing(ModelRecommendation::currentModel));
        return recommendations;
    }

    /**
     * Cost per active day of each user, costliest first: {@code AI_Cost_User = SUM(cost_usd) / active days}
     * (days of the period with at least one request) and cost per request.
     */
    public List<UserEconomics> userEconomics(AnalyticsPeriod period, int limit) {
        checkLimit(limit);
        String sql = "SELECT user_id, sum(requests), sum(cost_usd) AS total_cost, uniqExact(day) FROM " + DAILY
                + where(period) + " GROUP BY user_id ORDER BY total_cost DESC, user_id ASC LIMIT " + limit;
        return select(sql, row -> {
            long requests = toLong(row.get(1));
            BigDecimal cost = money(row.get(2));
            long days = toLong(row.get(3));
            return new UserEconomics(row.get(0), requests, cost, days, divide(cost, days), divide(cost, requests));
        });
    }

    /** Cost per request of each operation type: {@code AI_Cost_Operation = SUM(cost_usd) / requests}. */
    public List<OperationEconomics> operationEconomics(AnalyticsPeriod period) {
        String sql = "SELECT operation_type, sum(requests), sum(cost_usd) FROM " + DAILY + where(period)
                + " GROUP BY operation_type ORDER BY operation_type ASC";
        return select(sql, row -> {
            long requests = toLong(row.get(1));
            BigDecimal cost = money(row.get(2));
            return new OperationEconomics(row.get(0), requests, cost, divide(cost, requests));
        });
    }

    /**
     * Spend of the calendar month containing {@code today} and a straight-line projection to its end:
     * {@code projected = spent × days in month / days elapsed}, where the days elapsed run from the
     * 1st through {@code today} (today counted as a whole day) and {@code spent} is the daily
     * aggregate's cost over those days. Money rounds half-even to nano-dollars.
     */
    public MonthForecast monthForecast(LocalDate today) {
        AnalyticsPeriod month = AnalyticsPeriod.month(today);
        AnalyticsPeriod toDate = new AnalyticsPeriod(month.from(), today.plusDays(1));
        List<CostPoint> days = costOverTime(toDate, Granularity.DAY);
        BigDecimal spent = days.stream().map(CostPoint::costUsd).reduce(BigDecimal.ZERO.setScale(MONEY_SCALE), BigDecimal::add);
        int elapsed = today.getDayOfMonth();
        int length = today.lengthOfMonth();
        BigDecimal projected = spent.multiply(BigDecimal.valueOf(length))
                .divide(BigDecimal.valueOf(elapsed), MONEY_SCALE, RoundingMode.HALF_EVEN);
        return new MonthForecast(month, elapsed, length, spent, divide(spent, elapsed), projected, days);
    }

    /**
     * One user's ledger entries (every balance change, {@value #LEDGER}), newest first (ties: the
     * later Kafka offset first), paged ({@code page} from 0).
     */
    public Page<LedgerRow> ledgerEntries(String userId, int page, int size) {
        Objects.requireNonNull(userId, "userId");
        if (page < 0) {
            throw new IllegalArgumentException("page must not be negative: " + page);
        }
        checkLimit(size);
        String user = " WHERE user_id = " + ClickHouseSql.quote(userId);
        String sql = "SELECT toUnixTimestamp(created_at), entry_id, kind, pool, delta, balance_after, operation_type, note"
                + " FROM " + LEDGER + user
                + " ORDER BY created_at DESC, kafka_partition DESC, kafka_offset DESC"
                + " LIMIT " + size + " OFFSET " + ((long) page * size);
        List<LedgerRow> items = select(sql, row -> new LedgerRow(Instant.ofEpochSecond(toLong(row.get(0))), row.get(1),
                row.get(2), row.get(3), toLong(row.get(4)), toLong(row.get(5)), row.get(6), row.get(7)));
        long total = toLong(ClickHouseSql.select(client, "SELECT count() FROM " + LEDGER + user).get(0).get(0));
        return new Page<>(items, page, size, total);
    }

    static String where(AnalyticsPeriod period) {
        return " WHERE day >= " + ClickHouseSql.date(period.from()) + " AND day < " + ClickHouseSql.date(period.to());
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit/size must be between 1 and " + MAX_PAGE_SIZE + ": " + limit);
        }
    }

    private <T> List<T> select(String sql, java.util.function.Function<List<String>, T> mapper) {
        List<T> result = new ArrayList<>();
        for (List<String> row : ClickHouseSql.select(client, sql)) {
            result.add(mapper.apply(row));
        }
        return result;
    }

    static BigDecimal divide(BigDecimal amount, long count) {
        return count == 0 ? BigDecimal.ZERO.setScale(MONEY_SCALE)
                : amount.divide(BigDecimal.valueOf(count), MONEY_SCALE, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal share(BigDecimal part, BigDecimal whole) {
        return whole.signum() == 0 ? BigDecimal.ZERO.setScale(SHARE_SCALE)
                : part.divide(whole, SHARE_SCALE, RoundingMode.HALF_EVEN);
    }

    private static long toLong(String value) {
        return Long.parseLong(value);
    }

    private static BigDecimal money(String value) {
        return new BigDecimal(value).setScale(MONEY_SCALE, RoundingMode.UNNECESSARY);
    }
}
