package io.aicredits.analytics;

import static io.aicredits.analytics.support.UsageEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.AnalyticsRecords.CostPoint;
import io.aicredits.analytics.AnalyticsRecords.ModelEfficiency;
import io.aicredits.analytics.AnalyticsRecords.ModelRecommendation;
import io.aicredits.analytics.AnalyticsRecords.ModelShare;
import io.aicredits.analytics.AnalyticsRecords.OperationEconomics;
import io.aicredits.analytics.AnalyticsRecords.OperationRow;
import io.aicredits.analytics.AnalyticsRecords.OperationUsage;
import io.aicredits.analytics.AnalyticsRecords.Page;
import io.aicredits.analytics.AnalyticsRecords.Totals;
import io.aicredits.analytics.AnalyticsRecords.UserCost;
import io.aicredits.analytics.AnalyticsRecords.UserEconomics;
import io.aicredits.analytics.AnalyticsRecords.UserRow;
import io.aicredits.analytics.clickhouse.ClickHouseMigrations;
import io.aicredits.analytics.rows.ClickHouseRowWriter;
import io.aicredits.analytics.rows.UsageRowMapper;
import io.aicredits.analytics.support.ClickHouseTables;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.infra.ClickHouseServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Known usage in January 2025 (plus two rows just outside it) → exact numbers out of every query.
 * Rows go in through the sink's own mapper and writer, so the materialized view fills the
 * aggregate the queries read.
 */
class UsageAnalyticsTest {

    private static final AnalyticsPeriod JANUARY = AnalyticsPeriod.month(LocalDate.of(2025, 1, 17));

    private static ClickHouseServer clickHouse;
    private static Client client;
    private static UsageAnalytics analytics;

    @BeforeAll
    static void loadKnownUsage() {
        clickHouse = ClickHouseServer.start();
        client = ClickHouseTables.client(clickHouse, "analytics");
        ClickHouseMigrations.migrate(client);
        List<UsageEvent> events = List.of(
                event("k1", "karina", "gpt-4o-mini", "ai_card", 100, 50, 90_000, at("2025-01-06T09:00:00Z")),
                event("k2", "karina", "gpt-4o-mini", "ai_card", 200, 100, 180_000, at("2025-01-06T18:30:00Z")),
                event("k3", "karina", "gpt-4o", "ai_summary", 1000, 2000, 60_000_000, at("2025-01-15T12:00:00Z")),
                event("a1", "anna", "gpt-4o-mini", "ai_card", 300, 0, 270_000, at("2025-01-15T08:00:00Z")),
                failed(event("a2", "anna", "gpt-4o-mini", "emotion_analysis", 50, 50, 60_000, at("2025-01-20T10:00:00Z"))),
                event("x1", "alexey", "whisper-1", "voice_to_text", 0, 0, 6_000_000, at("2025-01-31T23:59:59Z")),
                event("x2", "alexey", "gpt-4o", "ai_card", 100, 100, 1_000_000, at("2025-01-31T10:00:00Z")),
                // Outside the period on both sides.
                event("out1", "karina", "gpt-4o-mini", "ai_card", 1, 1, 500_000_000, at("2025-02-01T00:00:00Z")),
                event("out2", "anna", "gpt-4o", "ai_summary", 1, 1, 700_000_000, at("2024-12-31T23:59:59Z")));
        ClickHouseRowWriter writer = new ClickHouseRowWriter(client, Duration.ofSeconds(30));
        UsageRowMapper mapper = new UsageRowMapper();
        for (int i = 0; i < events.size(); i++) {
            writer.insert(UsageRowMapper.TABLE, 0, List.of(mapper.map(events.get(i), 0, i)));
        }
        analytics = new UsageAnalytics(client);
    }

    @AfterAll
    static void stopClickHouse() {
        if (client != null) {
            client.close();
        }
        if (clickHouse != null) {
            clickHouse.close();
        }
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    private static UsageEvent failed(UsageEvent event) {
        event.setStatus(UsageStatus.FAILED);
        return event;
    }

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount);
    }

    @Test
    void shouldTotalTheCostOfThePeriodOnly() {
        assertThat(analytics.totals(JANUARY))
                .isEqualTo(new Totals(7, 1, 1750, 2300, usd("0.067600000"), 3));
    }

    @Test
    void shouldChartCostByDayWeekAndMonth() {
        assertThat(analytics.costOverTime(JANUARY, Granularity.DAY)).containsExactly(
                new CostPoint(LocalDate.of(2025, 1, 6), 2, 300, 150, usd("0.000270000")),
                new CostPoint(LocalDate.of(2025, 1, 15), 2, 1300, 2000, usd("0.060270000")),
                new CostPoint(LocalDate.of(2025, 1, 20), 1, 50, 50, usd("0.000060000")),
                new CostPoint(LocalDate.of(2025, 1, 31), 2, 100, 100, usd("0.007000000")));
        assertThat(analytics.costOverTime(JANUARY, Granularity.WEEK)).containsExactly(
                new CostPoint(LocalDate.of(2025, 1, 6), 2, 300, 150, usd("0.000270000")),
                new CostPoint(LocalDate.of(2025, 1, 13), 2, 1300, 2000, usd("0.060270000")),
                new CostPoint(LocalDate.of(2025, 1, 20), 1, 50, 50, usd("0.000060000")),
                new CostPoint(LocalDate.of(2025, 1, 27), 2, 100, 100, usd("0.007000000")));
        assertThat(analytics.costOverTime(JANUARY, Granularity.MONTH)).containsExactly(
                new CostPoint(LocalDate.of(2025, 1, 1), 7, 1750, 2300, usd("0.067600000")));
    }

    @Test
    void shouldRankTopUsersByCost() {
        assertThat(analytics.topUsersByCost(JANUARY, 2)).containsExactly(
                new UserCost("karina", 3, 3450, usd("0.060270000")),
                new UserCost("alexey", 2, 200, usd("0.007000000")));
    }

    @Test
    void shouldRankOperationTypesByRequests() {
        assertThat(analytics.popularOperations(JANUARY)).containsExactly(
                new OperationUsage("ai_card", 4, usd("0.001540000")),
                new OperationUsage("ai_summary", 1, usd("0.060000000")),
                new OperationUsage("emotion_analysis", 1, usd("0.000060000")),
                new OperationUsage("voice_to_text", 1, usd("0.006000000")));
    }

    @Test
    void shouldShareRequestsTokensAndCostBetweenModels() {
        assertThat(analytics.modelShare(JANUARY)).containsExactly(
                new ModelShare("gpt-4o-mini", 4, 650, 200, usd("0.000600000"), usd("0.571429"), usd("0.209877"), usd("0.008876")),
                new ModelShare("gpt-4o", 2, 1100, 2100, usd("0.061000000"), usd("0.285714"), usd("0.790123"), usd("0.902367")),
                new ModelShare("whisper-1", 1, 0, 0, usd("0.006000000"), usd("0.142857"), usd("0.000000"), usd("0.088757")));
    }

    @Test
    void shouldListUsersWithMostUsedModelAndLastCallSortedAndPaged() {
        Page<UserRow> firstPage = analytics.users(JANUARY, UserSort.COST, SortDirection.DESC, 0, 2);
        Page<UserRow> secondPage = analytics.users(JANUARY, UserSort.COST, SortDirection.DESC, 1, 2);

        assertThat(firstPage.total()).isEqualTo(3);
        assertThat(firstPage.items()).containsExactly(
                new UserRow("karina", 3, 3450, usd("0.060270000"), "gpt-4o-mini", at("2025-01-15T12:00:00Z")),
                // A tie (one request each) goes to the model name sorting last.
                new UserRow("alexey", 2, 200, usd("0.007000000"), "whisper-1", at("2025-01-31T23:59:59Z")));
        assertThat(secondPage.items()).containsExactly(
                new UserRow("anna", 2, 400, usd("0.000330000"), "gpt-4o-mini", at("2025-01-20T10:00:00Z")));
        assertThat(analytics.users(JANUARY, UserSort.USER, SortDirection.ASC, 0, 10).items())
                .extracting(UserRow::userId).containsExactly("alexey", "anna", "karina");
        assertThat(analytics.users(JANUARY, UserSort.LAST_CALL, SortDirection.DESC, 0, 10).items())
                .extracting(UserRow::userId).containsExactly("alexey", "anna", "karina");
        assertThat(analytics.users(JANUARY, UserSort.REQUESTS, SortDirection.ASC, 0, 10).items())
                .extracting(UserRow::userId).containsExactly("alexey", "anna", "karina");
        assertThat(analytics.users(JANUARY, UserSort.TOKENS, SortDirection.DESC, 0, 10).items())
                .extracting(UserRow::userId).containsExactly("karina", "anna", "alexey");
    }

    @Test
    void shouldTabulateOperationTypesPerModelWithAverageCost() {
        assertThat(analytics.operationTypes(JANUARY)).containsExactly(
                new OperationRow("ai_card", "gpt-4o", 1, usd("0.001000000"), usd("0.001000000")),
                new OperationRow("ai_card", "gpt-4o-mini", 3, usd("0.000180000"), usd("0.000540000")),
                new OperationRow("ai_summary", "gpt-4o", 1, usd("0.060000000"), usd("0.060000000")),
                new OperationRow("emotion_analysis", "gpt-4o-mini", 1, usd("0.000060000"), usd("0.000060000")),
                new OperationRow("voice_to_text", "whisper-1", 1, usd("0.006000000"), usd("0.006000000")));
    }

    @Test
    void shouldReportObservedCostPerThousandTokensAndPerRequest() {
        assertThat(analytics.modelEfficiency(JANUARY)).containsExactly(
                new ModelEfficiency("gpt-4o-mini", 4, 850, usd("0.000600000"), usd("0.000705882"), usd("0.000150000")),
                new ModelEfficiency("whisper-1", 1, 0, usd("0.006000000"), null, usd("0.006000000")),
                new ModelEfficiency("gpt-4o", 2, 3200, usd("0.061000000"), usd("0.019062500"), usd("0.030500000")));
    }

    @Test
    void shouldRecommendTheCheaperModelObservedForAnOperation() {
        assertThat(analytics.cheaperModelRecommendations(JANUARY)).containsExactly(
                new ModelRecommendation("ai_card", "gpt-4o", 1, usd("0.001000000"), "gpt-4o-mini",
                        usd("0.000180000"), usd("0.000820000")));
    }

    @Test
    void shouldComputeSeedEconomicsPerUserAndPerOperation() {
        assertThat(analytics.userEconomics(JANUARY, 10)).containsExactly(
                new UserEconomics("karina", 3, usd("0.060270000"), 2, usd("0.030135000"), usd("0.020090000")),
                new UserEconomics("alexey", 2, usd("0.007000000"), 1, usd("0.007000000"), usd("0.003500000")),
                new UserEconomics("anna", 2, usd("0.000330000"), 2, usd("0.000165000"), usd("0.000165000")));
        assertThat(analytics.operationEconomics(JANUARY)).containsExactly(
                new OperationEconomics("ai_card", 4, usd("0.001540000"), usd("0.000385000")),
                new OperationEconomics("ai_summary", 1, usd("0.060000000"), usd("0.060000000")),
                new OperationEconomics("emotion_analysis", 1, usd("0.000060000"), usd("0.000060000")),
                new OperationEconomics("voice_to_text", 1, usd("0.006000000"), usd("0.006000000")));
    }

    @Test
    void shouldAnswerAnEmptyPeriodWithZeros() {
        AnalyticsPeriod empty = AnalyticsPeriod.day(LocalDate.of(2030, 1, 1));

        assertThat(analytics.totals(empty)).isEqualTo(new Totals(0, 0, 0, 0, usd("0.000000000"), 0));
        assertThat(analytics.users(empty, UserSort.COST, SortDirection.DESC, 0, 5).items()).isEmpty();
        assertThat(analytics.modelShare(empty)).isEmpty();
    }

    @Test
    void shouldRejectBadPagingAndPeriodsBeforeQuerying() {
        assertThatThrownBy(() -> analytics.users(JANUARY, UserSort.COST, SortDirection.DESC, -1, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page");
        assertThatThrownBy(() -> analytics.topUsersByCost(JANUARY, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 1000");
        assertThatThrownBy(() -> new AnalyticsPeriod(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be before");
    }
}
