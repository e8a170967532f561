package io.aicredits.gateway.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.clickhouse.ClickHouseClients;
import io.aicredits.analytics.clickhouse.ClickHouseMigrations;
import io.aicredits.analytics.rows.ClickHouseRowWriter;
import io.aicredits.analytics.rows.LedgerRowMapper;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.gateway.TestGateway;
import io.aicredits.infra.ClickHouseServer;
import io.aicredits.infra.Closeables;
import io.aicredits.infra.KafkaBroker;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The analytics API end to end: known usage rows go into a real ClickHouse through the usage-sink's
 * own mapper and writer (the materialized view fills {@code usage_daily}), and every endpoint of a
 * running gateway answers exact numbers for a {@code super_admin}; a {@code user} gets 403, bad
 * parameters 400.
 *
 * <p>Known data: {@link KnownUsage}.
 */
class AnalyticsApiTest {

    static final String PAT = KnownUsage.PAT;
    static final String JANUARY = "from=2025-01-01&to=2025-01-31";

    private static ClickHouseServer clickHouse;
    private static KafkaBroker broker;
    private static TestGateway gateway;
    private static WebTestClient http;

    @BeforeAll
    static void start() throws Exception {
        clickHouse = ClickHouseServer.start();
        ClickHouseClients.ensureDatabase(clickHouse.endpoint(), "default", "", "analytics");
        try (Client client = ClickHouseClients.create(clickHouse.endpoint(), "default", "", "analytics", Duration.ofSeconds(30))) {
            ClickHouseMigrations.migrate(client);
            KnownUsage.insert(client, KnownUsage.events());
            LedgerRowMapper ledger = new LedgerRowMapper();
            ClickHouseRowWriter writer = new ClickHouseRowWriter(client, Duration.ofSeconds(30));
            List<LedgerEntry> entries = List.of(
                    ledger("k-opened", "karina", LedgerKind.ALLOWANCE_OPENED, 100, 100, null, "2025-01-01T00:00:00Z"),
                    ledger("k3-held", "karina", LedgerKind.HOLD_PLACED, -1, 97, "ai_summary", "2025-01-15T12:00:00Z"),
                    ledger("k3-settled", "karina", LedgerKind.HOLD_SETTLED, 0, 97, "ai_summary", "2025-01-15T12:00:01Z"),
                    ledger("x-opened", "alexey", LedgerKind.ALLOWANCE_OPENED, 100, 100, null, "2025-01-01T00:00:00Z"));
            for (int i = 0; i < entries.size(); i++) {
                writer.insert(LedgerRowMapper.TABLE, 0, List.of(ledger.map(entries.get(i), 0, i)));
            }
        }
        broker = KafkaBroker.start();
        broker.createAllTopics(1);
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("gateway.clickhouse.url", clickHouse.endpoint());
        overrides.put("gateway.clickhouse.database", "analytics");
        // AI_Cost_User thresholds (USD per active day) that split the three January users.
        overrides.put("gateway.analytics.tariffs[0].name", "Free");
        overrides.put("gateway.analytics.tariffs[0].max-cost-per-active-day-usd", "0.002");
        overrides.put("gateway.analytics.tariffs[1].name", "Premium");
        overrides.put("gateway.analytics.tariffs[1].max-cost-per-active-day-usd", "0.006");
        overrides.put("gateway.analytics.tariffs[2].name", "Pro");
        gateway = TestGateway.start(broker.bootstrapServers(), Files.createTempDirectory("gateway-media-"), overrides);
        http = gateway.http();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gateway, broker, clickHouse);
    }

    private static LedgerEntry ledger(String id, String user, LedgerKind kind, long delta, long balanceAfter,
                                      String operation, String createdAt) {
        return LedgerEntry.newBuilder().setEntryId(id).setUserId(user).setPool("ai_credits").setKind(kind)
                .setDelta(delta).setBalanceAfter(balanceAfter).setCauseId("cause-" + id).setOperationType(operation)
                .setNote(null).setCreatedAt(Instant.parse(createdAt)).build();
    }

    private static WebTestClient.ResponseSpec get(String uri, String token) {
        return http.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private static WebTestClient.ResponseSpec asAdmin(String uri) {
        return get(uri, TestGateway.adminToken("root"));
    }

    @Test
    void shouldAnswerTheMainScreenWithExactNumbersForThePeriod() {
        asAdmin("/api/admin/analytics/dashboard?" + JANUARY + "&granularity=day")
                .expectStatus().isOk()
                .expectBody().json("""
                        {"period": {"from": "2025-01-01", "to": "2025-01-31"},
                         "granularity": "day",
                         "cost_over_time": [
                           {"bucket": "2025-01-06", "requests": 2, "tokens_input": 300, "tokens_output": 150, "cost_usd": "0.000270000"},
                           {"bucket": "2025-01-15", "requests": 1, "tokens_input": 1000, "tokens_output": 2000, "cost_usd": "0.015000000"},
                           {"bucket": "2025-01-20", "requests": 2, "tokens_input": 150, "tokens_output": 150, "cost_usd": "0.001060000"},
                           {"bucket": "2025-01-31", "requests": 1, "tokens_input": 0, "tokens_output": 0, "cost_usd": "0.006000000"}],
                         "totals": {"requests": 6, "failed": 0, "tokens_input": 1450, "tokens_output": 2300,
                                    "cost_usd": "0.022330000", "active_users": 3},
                         "top_users": [
                           {"user_id": "karina", "requests": 3, "tokens": 3450, "cost_usd": "0.015270000"},
                           {"user_id": "alexey", "requests": 1, "tokens": 0, "cost_usd": "0.006000000"},
                           {"user_id": "pat \\"the cat\\", jr", "requests": 2, "tokens": 300, "cost_usd": "0.001060000"}],
                         "popular_operations": [
                           {"operation_type": "ai_card", "requests": 3, "cost_usd": "0.001270000"},
                           {"operation_type": "ai_summary", "requests": 1, "cost_usd": "0.015000000"},
                           {"operation_type": "emotion_analysis", "requests": 1, "cost_usd": "0.000060000"},
                           {"operation_type": "voice_to_text", "requests": 1, "cost_usd": "0.006000000"}],
                         "model_share": [
                           {"model": "gpt-4o-mini", "requests": 3, "tokens_input": 350, "tokens_output": 200, "cost_usd": "0.000330000",
                            "request_share": "0.500000", "token_share": "0.146667", "cost_share": "0.014778"},
                           {"model": "gpt-4o", "requests": 2, "tokens_input": 1100, "tokens_output": 2100, "cost_usd": "0.016000000",
                            "request_share": "0.333333", "token_share": "0.853333", "cost_share": "0.716525"},
                           {"model": "whisper-1", "requests": 1, "tokens_input": 0, "tokens_output": 0, "cost_usd": "0.006000000",
                            "request_share": "0.166667", "token_share": "0.000000", "cost_share": "0.268697"}]}
                        """, JsonCompareMode.STRICT);
    }

    @Test
    void shouldChartCostByWeekAndByMonth() {
        asAdmin("/api/admin/analytics/dashboard?" + JANUARY + "&granularity=week")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.granularity").isEqualTo("week")
                .jsonPath("$.cost_over_time[*].bucket").isEqualTo(List.of("2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"))
                .jsonPath("$.cost_over_time[*].cost_usd").isEqualTo(List.of("0.000270000", "0.015000000", "0.001060000", "0.006000000"));
        asAdmin("/api/admin/analytics/dashboard?from=2024-12-01&to=2025-02-28&granularity=month")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.cost_over_time[*].bucket").isEqualTo(List.of("2024-12-01", "2025-01-01", "2025-02-01"))
                .jsonPath("$.cost_over_time[*].requests").isEqualTo(List.of(1, 6, 1))
                .jsonPath("$.cost_over_time[*].cost_usd").isEqualTo(List.of("0.700000000", "0.022330000", "0.500000000"))
                .jsonPath("$.totals.cost_usd").isEqualTo("1.222330000");
    }

    @Test
    void shouldIncludeBothEndDaysOfTheRange() {
        // Given the last second of 2025-01-31 and the first of 2025-02-01 hold usage
        // When asking for exactly those two days / only the first of them
        // Then both rows count / only the January one does
        asAdmin("/api/admin/analytics/dashboard?from=2025-01-31&to=2025-02-01")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.totals.requests").isEqualTo(2)
                .jsonPath("$.totals.cost_usd").isEqualTo("0.506000000");
        asAdmin("/api/admin/analytics/dashboard?from=2025-01-31&to=2025-01-31")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.totals.requests").isEqualTo(1)
                .jsonPath("$.period.to").isEqualTo("2025-01-31");
    }

    @ParameterizedTest
    @ValueSource(strings = {"period=day", "period=week", "period=month", ""})
    void shouldDefaultToTheCurrentPeriod(String query) {
        // Only "today" usage lies in the current day, week and month (the default)
        asAdmin("/api/admin/analytics/dashboard?" + query)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.totals.requests").isEqualTo(1)
                .jsonPath("$.totals.cost_usd").isEqualTo("0.000012000")
                .jsonPath("$.top_users[0].user_id").isEqualTo("today-user");
    }

    @Test
    void shouldListUsersSortedByCostByDefault() {
        asAdmin("/api/admin/analytics/users?" + JANUARY)
                .expectStatus().isOk()
                .expectBody().json("""
                        {"period": {"from": "2025-01-01", "to": "2025-01-31"},
                         "sort": "cost", "direction": "desc", "page": 0, "size": 50, "total": 3,
                         "items": [
                           {"user_id": "karina", "requests": 3, "tokens": 3450, "cost_usd": "0.015270000",
                            "most_used_model": "gpt-4o-mini", "last_call": "2025-01-15T12:00:00Z"},
                           {"user_id": "alexey", "requests": 1, "tokens": 0, "cost_usd": "0.006000000",
                            "most_used_model": "whisper-1", "last_call": "2025-01-31T23:59:59Z"},
                           {"user_id": "pat \\"the cat\\", jr", "requests": 2, "tokens": 300, "cost_usd": "0.001060000",
                            "most_used_model": "gpt-4o-mini", "last_call": "2025-01-20T11:00:00Z"}]}
                        """, JsonCompareMode.STRICT);
    }

    @Test
    void shouldSortUsersByAnyColumnAndPage() {
        asAdmin("/api/admin/analytics/users?" + JANUARY + "&sort=user")
                .expectStatus().isOk().expectBody()
                .jsonPath("$.direction").isEqualTo("asc")
                .jsonPath("$.items[*].user_id").isEqualTo(List.of("alexey", "karina", PAT));
        asAdmin("/api/admin/analytics/users?" + JANUARY + "&sort=requests&direction=asc")
                .expectStatus().isOk().expectBody()
                .jsonPath("$.items[*].user_id").isEqualTo(List.of("alexey", PAT, "karina"));
        asAdmin("/api/admin/analytics/users?" + JANUARY + "&sort=tokens")
                .expectStatus().isOk().expectBody()
                .jsonPath("$.items[*].user_id").isEqualTo(List.of("karina", PAT, "alexey"));
        asAdmin("/api/admin/analytics/users?" + JANUARY + "&sort=last_call")
                .expectStatus().isOk().expectBody()
                .jsonPath("$.items[*].user_id").isEqualTo(List.of("alexey", PAT, "karina"));
        // Page 1 of size 2, by cost: the third user only, total still 3.
        asAdmin("/api/admin/analytics/users?" + JANUARY + "&page=1&size=2")
                .expectStatus().isOk().expectBody()
                .jsonPath("$.page").isEqualTo(1)
                .jsonPath("$.size").isEqualTo(2)
                .jsonPath("$.total").isEqualTo(3)
                .jsonPath("$.items[*].user_id").isEqualTo(List.of(PAT));
    }

    @Test
    void shouldExportUsersAsRfc4180Csv() {
        byte[] body = asAdmin("/api/admin/analytics/users/export?" + JANUARY)
                .expectStatus().isOk()
                .expectHeader().contentType("text/csv;charset=UTF-8")
                .expectHeader().valueEquals(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"ai-usage-users_2025-01-01_2025-01-31.csv\"")
                .expectBody().returnResult().getResponseBody();

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(
                "user_id,requests,tokens,cost_usd,most_used_model,last_call\r\n"
                        + "karina,3,3450,0.015270000,gpt-4o-mini,2025-01-15T12:00:00Z\r\n"
                        + "alexey,1,0,0.006000000,whisper-1,2025-01-31T23:59:59Z\r\n"
                        + "\"pat \"\"the cat\"\", jr\",2,300,0.001060000,gpt-4o-mini,2025-01-20T11:00:00Z\r\n");
    }

    @Test
    void shouldExportOnlyTheHeaderForAnEmptyPeriod() {
        byte[] body = asAdmin("/api/admin/analytics/users/export?from=2020-01-01&to=2020-01-31")
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        assertThat(new String(body, StandardCharsets.UTF_8))
                .isEqualTo("user_id,requests,tokens,cost_usd,most_used_model,last_call\r\n");
    }

    @Test
    void shouldListOperationTypesPerModel() {
        asAdmin("/api/admin/analytics/operations?" + JANUARY)
                .expectStatus().isOk()
                .expectBody().json("""
                        {"period": {"from": "2025-01-01", "to": "2025-01-31"},
                         "items": [
                           {"operation_type": "ai_card", "model": "gpt-4o", "requests": 1,
                            "average_cost_usd": "0.001000000", "total_cost_usd": "0.001000000"},
                           {"operation_type": "ai_card", "model": "gpt-4o-mini", "requests": 2,
                            "average_cost_usd": "0.000135000", "total_cost_usd": "0.000270000"},
                           {"operation_type": "ai_summary", "model": "gpt-4o", "requests": 1,
                            "average_cost_usd": "0.015000000", "total_cost_usd": "0.015000000"},
                           {"operation_type": "emotion_analysis", "model": "gpt-4o-mini", "requests": 1,
                            "average_cost_usd": "0.000060000", "total_cost_usd": "0.000060000"},
                           {"operation_type": "voice_to_text", "model": "whisper-1", "requests": 1,
                            "average_cost_usd": "0.006000000", "total_cost_usd": "0.006000000"}]}
                        """, JsonCompareMode.STRICT);
    }

    @Test
    void shouldShowObservedModelCostsAndRecommendTheCheaperModel() {
        asAdmin("/api/admin/analytics/models?" + JANUARY)
                .expectStatus().isOk()
                .expectBody().json("""
                        {"period": {"from": "2025-01-01", "to": "2025-01-31"},
                         "models": [
                           {"model": "gpt-4o-mini", "requests": 3, "tokens": 550, "cost_usd": "0.000330000",
                            "cost_per_1k_tokens_usd": "0.000600000", "cost_per_request_usd": "0.000110000"},
                           {"model": "whisper-1", "requests": 1, "tokens": 0, "cost_usd": "0.006000000",
                            "cost_per_1k_tokens_usd": null, "cost_per_request_usd": "0.006000000"},
                           {"model": "gpt-4o", "requests": 2, "tokens": 3200, "cost_usd": "0.016000000",
                            "cost_per_1k_tokens_usd": "0.005000000", "cost_per_request_usd": "0.008000000"}],
                         "recommendations": [
                           {"operation_type": "ai_card", "current_model": "gpt-4o", "requests": 1,
                            "current_average_cost_usd": "0.001000000", "cheaper_model": "gpt-4o-mini",
                            "cheaper_average_cost_usd": "0.000135000", "potential_saving_usd": "0.000865000",
                            "message": "Serve ai_card with gpt-4o-mini instead of gpt-4o: its 1 request(s) would have cost $0.000865000 less"}]}
                        """, JsonCompareMode.STRICT);
    }

    @Test
    void shouldComputeSeed002EconomicsAndRecommendTariffsFromTheThresholds() {
        // karina: 0.015270 over 2 active days = 0.007635/day > 0.006 → Pro;
        // alexey: exactly 0.006/day → Premium (thresholds inclusive); pat: 0.00106/day → Free.
        asAdmin("/api/admin/analytics/economics?" + JANUARY)
                .expectStatus().isOk()
                .expectBody().json("""
                        {"period": {"from": "2025-01-01", "to": "2025-01-31"},
                         "users": [
                           {"user_id": "karina", "requests": 3, "cost_usd": "0.015270000", "active_days": 2,
                            "ai_cost_user": "0.007635000", "cost_per_request_usd": "0.005090000", "recommended_tariff": "Pro"},
                           {"user_id": "alexey", "requests": 1, "cost_usd": "0.006000000", "active_days": 1,
                            "ai_cost_user": "0.006000000", "cost_per_request_usd": "0.006000000", "recommended_tariff": "Premium"},
                           {"user_id": "pat \\"the cat\\", jr", "requests": 2, "cost_usd": "0.001060000", "active_days": 1,
                            "ai_cost_user": "0.001060000", "cost_per_request_usd": "0.000530000", "recommended_tariff": "Free"}],
                         "operations": [
                           {"operation_type": "ai_card", "requests": 3, "cost_usd": "0.001270000", "ai_cost_operation": "0.000423333"},
                           {"operation_type": "ai_summary", "requests": 1, "cost_usd": "0.015000000", "ai_cost_operation": "0.015000000"},
                           {"operation_type": "emotion_analysis", "requests": 1, "cost_usd": "0.000060000", "ai_cost_operation": "0.000060000"},
                           {"operation_type": "voice_to_text", "requests": 1, "cost_usd": "0.006000000", "ai_cost_operation": "0.006000000"}],
                         "tariffs": [
                           {"name": "Free", "max_cost_per_active_day_usd": "0.002"},
                           {"name": "Premium", "max_cost_per_active_day_usd": "0.006"},
                           {"name": "Pro", "max_cost_per_active_day_usd": null}]}
                        """, JsonCompareMode.STRICT);
    }

    @Test
    void shouldForecastTheCurrentMonthFromTheDailyAggregate() {
        // Given only the "today" row (0.000012 USD) lies in the current month, and no monthly budget is set
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        BigDecimal projected = new BigDecimal("0.000012000").multiply(BigDecimal.valueOf(today.lengthOfMonth()))
                .divide(BigDecimal.valueOf(today.getDayOfMonth()), 9, RoundingMode.HALF_EVEN);
        BigDecimal average = new BigDecimal("0.000012000").divide(BigDecimal.valueOf(today.getDayOfMonth()), 9, RoundingMode.HALF_EVEN);
        // Then month to date is that row, projected over the month's days by the days elapsed
        asAdmin("/api/admin/analytics/forecast")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.month").isEqualTo(today.toString().substring(0, 7))
                .jsonPath("$.period.from").isEqualTo(today.withDayOfMonth(1).toString())
                .jsonPath("$.period.to").isEqualTo(today.withDayOfMonth(today.lengthOfMonth()).toString())
                .jsonPath("$.as_of").isEqualTo(today.toString())
                .jsonPath("$.days_elapsed").isEqualTo(today.getDayOfMonth())
                .jsonPath("$.days_in_month").isEqualTo(today.lengthOfMonth())
                .jsonPath("$.spent_usd").isEqualTo("0.000012000")
                .jsonPath("$.average_daily_usd").isEqualTo(average.toPlainString())
                .jsonPath("$.projected_usd").isEqualTo(projected.toPlainString())
                .jsonPath("$.budget_usd").isEmpty()
                .jsonPath("$.projected_over_budget").isEmpty()
                .jsonPath("$.daily[*].bucket").isEqualTo(List.of(today.toString()))
                .jsonPath("$.method").value(method -> assertThat((String) method).startsWith("projected_usd = spent_usd × days_in_month / days_elapsed"));
    }

    @Test
    void shouldPageAUsersOwnLedgerNewestFirst() {
        // Given karina's three ledger entries and one of alexey's
        asUser("/api/ai/credits/history?size=2", "karina")
                .expectStatus().isOk()
                .expectBody().json("""
                        {"user_id": "karina", "page": 0, "size": 2, "total": 3, "items": [
                          {"created_at": "2025-01-15T12:00:01Z", "entry_id": "k3-settled", "kind": "HOLD_SETTLED", "pool": "ai_credits",
                           "delta": 0, "balance_after": 97, "operation_type": "ai_summary", "note": null},
                          {"created_at": "2025-01-15T12:00:00Z", "entry_id": "k3-held", "kind": "HOLD_PLACED", "pool": "ai_credits",
                           "delta": -1, "balance_after": 97, "operation_type": "ai_summary", "note": null}]}
                        """, JsonCompareMode.STRICT);
        asUser("/api/ai/credits/history?size=2&page=1", "karina")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[*].entry_id").isEqualTo(List.of("k-opened"))
                .jsonPath("$.items[0].delta").isEqualTo(100);
        asUser("/api/ai/credits/history", "alexey")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(1)
                .jsonPath("$.items[*].entry_id").isEqualTo(List.of("x-opened"));
        asUser("/api/ai/credits/history?page=-1", "karina").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("page must be 0 or more (pages count from 0): -1");
        http.get().uri("/api/ai/credits/history").exchange().expectStatus().isUnauthorized();
    }

    private static WebTestClient.ResponseSpec asUser(String uri, String user) {
        return get(uri, TestGateway.userToken(user));
    }

    static Stream<String> endpoints() {
        return Stream.of("/api/admin/analytics/dashboard", "/api/admin/analytics/users", "/api/admin/analytics/users/export",
                "/api/admin/analytics/operations", "/api/admin/analytics/models", "/api/admin/analytics/economics",
                "/api/admin/analytics/forecast");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void shouldForbidAnalyticsToUsers(String path) {
        get(path + "?" + JANUARY, TestGateway.userToken("karina")).expectStatus().isForbidden();
        http.get().uri(path).exchange().expectStatus().isUnauthorized();
    }

    static Stream<Arguments> badParameters() {
        return Stream.of(
                Arguments.of("/dashboard?from=2025-02-01&to=2025-01-01", "from (2025-02-01) must not be after to (2025-01-01)"),
                Arguments.of("/dashboard?from=2025-13-01&to=2025-12-31", "from must be an ISO date (YYYY-MM-DD): '2025-13-01'"),
                Arguments.of("/users?from=2025-01-01&to=yesterday", "to must be an ISO date (YYYY-MM-DD): 'yesterday'"),
                Arguments.of("/operations?from=2025-01-01", "from and to must be given together (ISO dates, e.g. from=2025-01-01&to=2025-01-31)"),
                Arguments.of("/models?from=1969-12-01&to=2025-01-31", "from must be between 1970-01-01 and 2105-12-31: 1969-12-01"),
                Arguments.of("/economics?period=day&from=2025-01-01&to=2025-01-31", "Give either period or from/to, not both"),
                Arguments.of("/dashboard?period=year", "Unknown period 'year'; use day, week or month"),
                Arguments.of("/dashboard?granularity=hour", "Unknown granularity 'hour'; use day, week or month"),
                Arguments.of("/users?sort=password", "Unknown sort column 'password'; use one of user, requests, tokens, cost, last_call"),
                Arguments.of("/users/export?sort=email", "Unknown sort column 'email'; use one of user, requests, tokens, cost, last_call"),
                Arguments.of("/users?direction=up", "Unknown direction 'up'; use asc or desc"),
                Arguments.of("/users?size=0", "size must be between 1 and 1000: 0"),
                Arguments.of("/users?size=1001", "size must be between 1 and 1000: 1001"),
                Arguments.of("/users?size=ten", "size must be a whole number: 'ten'"),
                Arguments.of("/users?page=-1", "page must be 0 or more (pages count from 0): -1"),
                Arguments.of("/economics?limit=0", "limit must be between 1 and 1000: 0"));
    }

    @ParameterizedTest
    @MethodSource("badParameters")
    void shouldRejectBadParameters(String pathAndQuery, String message) {
        asAdmin("/api/admin/analytics" + pathAndQuery)
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.statusCode").isEqualTo(400)
                .jsonPath("$.message").isEqualTo(message);
    }
}
