package io.aicredits.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.clickhouse.client.api.Client;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aicredits.analytics.clickhouse.ClickHouseClients;
import io.aicredits.analytics.clickhouse.ClickHouseMigrations;
import io.aicredits.events.AlertKind;
import io.aicredits.events.AlertRaised;
import io.aicredits.events.LedgerEntry;
import io.aicredits.gateway.analytics.KnownUsage;
import io.aicredits.infra.ClickHouseServer;
import io.aicredits.infra.Closeables;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.Topics;
import io.aicredits.sink.ingest.SinkSettings;
import io.aicredits.sink.ingest.UsageSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The dashboard pages in a real headless Chromium against the real pipeline: broker, metering
 * stream, usage-sink (in-process, writing to a real ClickHouse), gateway. Known data: the analytics
 * tests' {@link KnownUsage} (January 2025) written through the sink's own mapper and writer, plus live calls of two users today (their
 * usage and ledger entries travel the whole pipeline). Each page's figures are compared with the
 * API's answer for the same query; each test saves a screenshot under {@code target/screenshots/}.
 */
class DashboardBrowserTest {

    static final String ADMIN = "root-admin";
    static final String DANA = "dana";
    static final String ERIK = "erik";
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ClickHouseServer clickHouse;
    private static Client clickHouseClient;
    private static MeteringBackend backend;
    private static UsageSink sink;
    private static FakeOpenAi openAi;
    private static TestGateway gateway;
    private static WebTestClient http;
    private static ChromeDriver browser;
    private static Path downloads;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        clickHouse = ClickHouseServer.start();
        ClickHouseClients.ensureDatabase(clickHouse.endpoint(), "default", "", "dashboard");
        clickHouseClient = ClickHouseClients.create(clickHouse.endpoint(), "default", "", "dashboard", Duration.ofSeconds(30));
        ClickHouseMigrations.migrate(clickHouseClient);
        KnownUsage.insert(clickHouseClient, KnownUsage.events());
        backend = MeteringBackend.start();
        sink = new UsageSink(new SinkSettings(Topics.AI_USAGE.name(), Topics.CREDIT_LEDGER.name(), Topics.DEAD_LETTERS.name(),
                "dashboard-sink-" + UUID.randomUUID(), 500, Duration.ofMillis(100), Duration.ofMillis(100),
                Duration.ofSeconds(2), Duration.ofSeconds(30)),
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, backend.bootstrapServers()), clickHouseClient,
                new SimpleMeterRegistry());
        sink.start();
        openAi = new FakeOpenAi();
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("gateway.clickhouse.url", clickHouse.endpoint());
        overrides.put("gateway.clickhouse.database", "dashboard");
        // No key configured: the sandbox answers until a key is entered in Settings → AI.
        overrides.put("gateway.provider.mode", "auto");
        overrides.put("gateway.provider.openai.base-url", openAi.baseUrl());
        overrides.put("gateway.provider.openai.api-key", "");
        gateway = backend.startGateway(overrides);
        http = gateway.http();
        base = "http://127.0.0.1:" + gateway.port();
        generateTodaysUsage();
        publishAlert();
        browser = startChromium();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(browser == null ? null : browser::quit, gateway, openAi, sink, backend, clickHouseClient, clickHouse);
    }

    @AfterEach
    void noScriptErrors(TestInfo test) throws IOException {
        screenshot(test.getTestMethod().orElseThrow().getName());
        // Failed requests (the expected 403/400 answers) are logged as resource errors; script errors are not allowed.
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.contains("Failed to load resource"))
                .toList();
        assertThat(errors).as("JavaScript errors on the page").isEmpty();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void shouldShowTheMainScreenWithTheApiNumbersAndChangeThemWithThePeriod() {
        // Given the super admin signs in with the link's fragment token
        open("admin.html#token=" + TestGateway.adminToken(ADMIN));
        awaitView("analytics");
        // Then the token left the address bar for session storage
        assertThat(browser.getCurrentUrl()).doesNotContain("token=").endsWith("/admin.html#analytics");
        assertThat(browser.executeScript("return sessionStorage.getItem('aicredits.token')")).isNotNull();

        // And the current month (the default) shows what the API answers: today's live calls
        JsonNode month = api("/api/admin/analytics/dashboard?period=month&granularity=day");
        assertThat(month.at("/totals/requests").asLong()).isGreaterThanOrEqualTo(4);
        assertMainScreen(month);

        // When choosing January 2025
        chooseJanuary();
        awaitView("analytics");
        // Then every figure follows the API for that period (the known data set)
        JsonNode january = api("/api/admin/analytics/dashboard?from=2025-01-01&to=2025-01-31&granularity=day");
        assertThat(january.at("/totals/cost_usd").asText()).isEqualTo("0.022330000");
        assertMainScreen(january);
        assertThat(cardValue("total-cost")).isNotEqualTo("$" + month.at("/totals/cost_usd").asText());

        // When charting by week, the chart has one bar per week of the API
        click(By.id("granularity-week"));
        onPage(10).until(() -> browser.findElement(By.id("granularity-week")).getAttribute("class").contains("active"));
        JsonNode weekly = api("/api/admin/analytics/dashboard?from=2025-01-01&to=2025-01-31&granularity=week");
        assertThat(weekly.at("/cost_over_time").size()).isEqualTo(4);
        onPage(10).until(() -> chartText("cost-chart").contains("2025-01-27"));
        assertThat(chartText("cost-chart")).contains("2025-01-06", "2025-01-13", "2025-01-20", "$0.015000000");
        click(By.id("granularity-day"));
        awaitView("analytics");
    }

    @Test
    void shouldSortPageAndDownloadTheUsersTable() throws Exception {
        open("admin.html#token=" + TestGateway.adminToken(ADMIN));
        awaitView("analytics");
        click(By.id("tab-users"));
        awaitView("users");
        chooseJanuary();
        awaitView("users");
        // Sorted by cost (default): the rows and cells of the API, in its order
        assertUsersTable(api("/api/admin/analytics/users?from=2025-01-01&to=2025-01-31&size=20"));

        // When sorting by requests (descending first)
        click(By.cssSelector("#users th[data-col=requests] button"));
        awaitView("users");
        assertUsersTable(api("/api/admin/analytics/users?from=2025-01-01&to=2025-01-31&size=20&sort=requests&direction=desc"));

        // When showing 10 rows per page there is one page of 3 users
        assertThat(browser.findElement(By.id("page-info")).getText()).isEqualTo("Page 1 of 1 · 3 users");

        // When downloading the CSV, the file is the API's export byte for byte
        String expected = http.get().uri("/api/admin/analytics/users/export?from=2025-01-01&to=2025-01-31&sort=requests&direction=desc")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.adminToken(ADMIN)).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        click(By.id("csv-download"));
        Path file = downloads.resolve("ai-usage-users_2025-01-01_2025-01-31.csv");
        onPage(15).until(() -> Files.exists(file) && Files.size(file) == expected.getBytes(StandardCharsets.UTF_8).length);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(expected).contains("karina,3,3450,0.015270000");
        assertThat(browser.findElement(By.id("csv-status")).getText()).contains("ai-usage-users_2025-01-01_2025-01-31.csv");
    }

    @Test
    void shouldShowOperationTypesModelsAndEconomicsAsTheApiAnswers() throws IOException {
        open("admin.html#token=" + TestGateway.adminToken(ADMIN));
        awaitView("analytics");
        chooseJanuary();
        awaitView("analytics");

        click(By.id("tab-operations"));
        awaitView("operations");
        JsonNode operations = api("/api/admin/analytics/operations?from=2025-01-01&to=2025-01-31");
        assertTable("operations", operations.get("items"), row -> row.get("operation_type").asText() + "/" + row.get("model").asText(),
                Map.of("requests", row -> row.get("requests").asText(),
                        "average_cost_usd", row -> "$" + row.get("average_cost_usd").asText(),
                        "total_cost_usd", row -> "$" + row.get("total_cost_usd").asText()));
        screenshot("operations");

        click(By.id("tab-models"));
        awaitView("models");
        JsonNode models = api("/api/admin/analytics/models?from=2025-01-01&to=2025-01-31");
        assertTable("models", models.get("models"), row -> row.get("model").asText(),
                Map.of("cost_per_request_usd", row -> "$" + row.get("cost_per_request_usd").asText(),
                        "cost_per_1k_tokens_usd", row -> row.get("cost_per_1k_tokens_usd").isNull() ? "—"
                                : "$" + row.get("cost_per_1k_tokens_usd").asText()));
        assertThat(texts(By.cssSelector("#recommendations li")))
                .containsExactlyElementsOf(StreamSupport.stream(models.get("recommendations").spliterator(), false)
                        .map(r -> r.get("message").asText()).toList())
                .isNotEmpty();
        screenshot("models");

        click(By.id("tab-economics"));
        awaitView("economics");
        JsonNode economics = api("/api/admin/analytics/economics?from=2025-01-01&to=2025-01-31");
        assertTable("economics-users", economics.get("users"), row -> row.get("user_id").asText(),
                Map.of("ai_cost_user", row -> "$" + row.get("ai_cost_user").asText(),
                        "cost_per_request_usd", row -> "$" + row.get("cost_per_request_usd").asText(),
                        "recommended_tariff", row -> row.get("recommended_tariff").asText()));
        assertTable("economics-operations", economics.get("operations"), row -> row.get("operation_type").asText(),
                Map.of("ai_cost_operation", row -> "$" + row.get("ai_cost_operation").asText()));
    }

    @Test
    void shouldForecastTheMonthAgainstTheBudget() {
        // Given a monthly budget of $0.01
        putSetting(Map.of("budgets.platform_monthly_usd", "0.01"));
        try {
            open("admin.html#token=" + TestGateway.adminToken(ADMIN));
            awaitView("analytics");
            click(By.id("tab-forecast"));
            awaitView("forecast");
            JsonNode forecast = api("/api/admin/analytics/forecast");
            assertThat(forecast.get("budget_usd").asText()).isEqualTo("0.01");
            assertThat(forecast.get("spent_usd").asText()).isEqualTo(
                    api("/api/admin/analytics/dashboard?period=month").at("/totals/cost_usd").asText());
            assertThat(cardValue("forecast-spent")).isEqualTo("$" + forecast.get("spent_usd").asText());
            assertThat(cardValue("forecast-average")).isEqualTo("$" + forecast.get("average_daily_usd").asText());
            assertThat(cardValue("forecast-projected")).isEqualTo("$" + forecast.get("projected_usd").asText());
            assertThat(cardValue("forecast-budget")).isEqualTo("$0.01");
            assertThat(browser.findElement(By.id("forecast-method")).getText()).isEqualTo(forecast.get("method").asText());
            assertThat(browser.findElements(By.id("forecast-warning")).isEmpty())
                    .isEqualTo(!forecast.get("projected_over_budget").asBoolean());
        } finally {
            putSetting(restoreDefaults("budgets.platform_monthly_usd"));
        }
    }

    @Test
    void shouldChangeSettingsShowTheAuditAndUseTheChangeOnTheNextCall() throws IOException {
        open("admin.html#token=" + TestGateway.adminToken(ADMIN));
        awaitView("analytics");
        click(By.id("tab-settings"));
        awaitView("settings");

        // When the super admin serves ai_card with gpt-4o
        WebElement model = field("models.ai_card").findElement(By.tagName("input"));
        assertThat(model.getAttribute("placeholder")).isEqualTo("gpt-4o-mini");
        model.sendKeys("gpt-4o");
        field("models.ai_card").findElement(By.cssSelector("button.save")).click();
        awaitView("settings");
        onPage(10).until(() -> field("models.ai_card").getText().contains("v1 by " + ADMIN));

        // Then the audit shows who, old → new, and the next ai_card call uses the new model
        WebElement audit = browser.findElement(By.cssSelector("#audit tr[data-key='models.ai_card@1']"));
        assertThat(cell(audit, "changed_by")).isEqualTo(ADMIN);
        assertThat(cell(audit, "old_value")).isEqualTo("—");
        assertThat(cell(audit, "new_value")).isEqualTo("gpt-4o");
        JsonNode call = post(TestGateway.userToken(ERIK), "/api/ai/operations/ai_card", Map.of("content", "What did I do today?"));
        assertThat(call.get("model").asText()).isEqualTo("gpt-4o");

        // When a price is not a number, the API's message is shown next to that field
        WebElement price = field("model_prices.gpt-4o.input_per_1k").findElement(By.tagName("input"));
        price.sendKeys("cheap");
        field("model_prices.gpt-4o.input_per_1k").findElement(By.cssSelector("button.save")).click();
        onPage(10).until(() -> !fieldError("model_prices.gpt-4o.input_per_1k").isEmpty());
        assertThat(fieldError("model_prices.gpt-4o.input_per_1k"))
                .isEqualTo("Setting model_prices.gpt-4o.input_per_1k must be a USD amount such as 12.50, was 'cheap'");

        // When a wrong OpenAI key is checked, then the right one, and the right one is saved
        browser.findElement(By.id("api-key")).sendKeys("sk-wrong-key-0000000000ffff");
        click(By.id("api-key-check"));
        onPage(10).until(() -> browser.findElement(By.id("api-key-result")).getText().startsWith("Not valid"));
        assertThat(browser.findElement(By.id("api-key-result")).getText()).contains("HTTP 401").doesNotContain("sk-wron");
        browser.findElement(By.id("api-key")).clear();
        browser.findElement(By.id("api-key")).sendKeys(FakeOpenAi.VALID_KEY);
        click(By.id("api-key-check"));
        onPage(10).until(() -> browser.findElement(By.id("api-key-result")).getText().startsWith("Valid"));
        assertThat(browser.findElement(By.id("api-key-result")).getText()).isEqualTo("Valid: 3 models available (gpt-4o, gpt-4o-mini, whisper-1)");
        click(By.id("api-key-save"));
        onPage(10).until(() -> browser.findElement(By.id("api-key-masked")).getText().startsWith("••••"));
        try {
            // Then the key is shown masked only, never echoed by the page or the API
            assertThat(browser.findElement(By.id("api-key-masked")).getText()).isEqualTo("••••cdef");
            assertThat(browser.getPageSource()).doesNotContain(FakeOpenAi.VALID_KEY);
            assertThat(http.get().uri("/api/admin/settings").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.adminToken(ADMIN))
                    .exchange().expectBody(String.class).returnResult().getResponseBody()).doesNotContain(FakeOpenAi.VALID_KEY);
            assertThat(http.get().uri("/api/admin/settings/audit").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.adminToken(ADMIN))
                    .exchange().expectBody(String.class).returnResult().getResponseBody()).doesNotContain(FakeOpenAi.VALID_KEY)
                    .contains("••••cdef");
            // And the next generation goes to OpenAI with that key
            JsonNode text = post(TestGateway.userToken(ERIK), "/api/ai/generate-text", Map.of("prompt", "A slogan for tea"));
            assertThat(text.get("variants").get(0).asText()).isEqualTo("OpenAI variant 1");
            assertThat(openAi.calls()).anyMatch(c -> c.path().equals("/v1/chat/completions")
                    && ("Bearer " + FakeOpenAi.VALID_KEY).equals(c.authorization()));
            screenshot("settings");
        } finally {
            putSetting(restoreDefaults("openai.api_key", "models.ai_card"));
        }
    }

    @Test
    void shouldListRecentAlertsNewestFirst() {
        open("admin.html#token=" + TestGateway.adminToken(ADMIN));
        awaitView("analytics");
        click(By.id("tab-alerts"));
        onPage(20).until(() -> {
            click(By.id("tab-alerts"));
            awaitView("alerts");
            return browser.findElements(By.cssSelector("#alerts tr[data-key]")).size() == 2;
        });
        List<WebElement> rows = browser.findElements(By.cssSelector("#alerts tr[data-key]"));
        assertThat(rows.get(0).getAttribute("data-key")).isEqualTo("PLATFORM_MONTHLY_BUDGET/platform/2025-01/80");
        assertThat(cell(rows.get(0), "kind")).isEqualTo("PLATFORM_MONTHLY_BUDGET");
        assertThat(cell(rows.get(0), "threshold_percent")).isEqualTo("80 %");
        assertThat(cell(rows.get(0), "amount")).isEqualTo("$8.000000000 / $10.000000000");
        assertThat(cell(rows.get(0), "raised_at")).isEqualTo("2025-01-20T10:00:00Z");
        assertThat(cell(rows.get(1), "kind")).isEqualTo("LOW_CREDITS");
        assertThat(cell(rows.get(1), "amount")).isEqualTo("9 / 100 credits");
    }

    @Test
    void shouldShowAUsersOwnCreditsAndExactlyTheirLedger() {
        // Given dana's ledger entries as the stream wrote them to credit.ledger, all in ClickHouse
        List<List<LedgerEntry>> read = new ArrayList<>(List.of(List.of()));
        onPage(40).until(() -> {
            read.set(0, ledgerOf(DANA));
            return get(TestGateway.userToken(DANA), "/api/ai/credits/history?size=100").get("total").asLong() == read.get(0).size();
        });
        List<LedgerEntry> ledger = read.get(0);

        // When dana opens My credits
        open("credits.html#token=" + TestGateway.userToken(DANA));
        awaitView("credits");
        assertThat(browser.getCurrentUrl()).doesNotContain("token=");

        // Then balance, limit, resets, costs and estimates are the API's
        JsonNode credits = get(TestGateway.userToken(DANA), "/api/ai/credits");
        JsonNode stats = get(TestGateway.userToken(DANA), "/api/ai/credits/stats");
        assertThat(credits.get("credits").asLong()).isEqualTo(100 - 1 - 1 - 5);
        assertThat(cardValue("credits-balance")).isEqualTo(credits.get("credits").asText());
        assertThat(cardValue("credits-used")).isEqualTo(stats.get("credits_used").asText());
        assertThat(cardValue("credits-last-reset")).isEqualTo(credits.get("last_reset").asText());
        assertThat(cardValue("credits-next-reset")).isEqualTo(credits.get("next_reset").asText());
        assertThat(cardValue("estimated-text")).isEqualTo(stats.get("estimated_text_generations").asText());
        assertThat(cardValue("estimated-image")).isEqualTo(stats.get("estimated_image_generations").asText());
        assertThat(cell(browser.findElement(By.cssSelector("#costs tr[data-key=image_generation]")), "credits")).isEqualTo("5");

        // And the history lists exactly dana's ledger entries, newest first, none of erik's
        List<WebElement> rows = browser.findElements(By.cssSelector("#history tr[data-key]"));
        assertThat(rows.stream().map(r -> r.getAttribute("data-key")).toList())
                .containsExactlyInAnyOrderElementsOf(ledger.stream().map(LedgerEntry::getEntryId).toList());
        JsonNode history = get(TestGateway.userToken(DANA), "/api/ai/credits/history?size=20");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode entry = history.get("items").get(i);
            assertThat(rows.get(i).getAttribute("data-key")).isEqualTo(entry.get("entry_id").asText());
            assertThat(cell(rows.get(i), "kind")).isEqualTo(entry.get("kind").asText());
            assertThat(cell(rows.get(i), "balance_after")).isEqualTo(entry.get("balance_after").asText());
        }
        assertThat(history.at("/items/0/created_at").asText())
                .isGreaterThanOrEqualTo(history.at("/items/" + (rows.size() - 1) + "/created_at").asText());
        assertThat(ledgerOf(ERIK)).isNotEmpty().noneMatch(e -> rows.stream().anyMatch(r -> e.getEntryId().equals(r.getAttribute("data-key"))));
    }

    @Test
    void shouldDenyTheAdminPagesToAUser() {
        // When a user (role user) opens the dashboard
        open("admin.html#token=" + TestGateway.userToken(DANA));
        awaitView("analytics");
        // Then the page shows the API's 403 and no figures
        assertThat(browser.findElement(By.id("error")).getText()).startsWith("Access denied (403)");
        assertThat(browser.findElements(By.id("total-cost"))).isEmpty();
        // And the API behind every admin tab answers 403 to that token
        for (String path : List.of("/api/admin/analytics/dashboard", "/api/admin/analytics/forecast", "/api/admin/alerts",
                "/api/admin/settings", "/api/admin/settings/audit")) {
            http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(DANA))
                    .exchange().expectStatus().isForbidden();
        }
        http.post().uri("/api/admin/settings/openai-key/check").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(DANA))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isForbidden();
        // And the pages' files are public, the API is not
        http.get().uri("/admin.html").exchange().expectStatus().isOk();
        http.get().uri("/webjars/echarts/dist/echarts.esm.min.js").exchange().expectStatus().isOk();
        http.get().uri("/api/ai/credits/history").exchange().expectStatus().isUnauthorized();
    }

    // ------------------------------------------------------------------ page helpers

    private static void assertMainScreen(JsonNode data) {
        assertThat(browser.findElement(By.id("period-shown")).getText())
                .isEqualTo(data.at("/period/from").asText() + " – " + data.at("/period/to").asText());
        assertThat(cardValue("total-cost")).isEqualTo("$" + data.at("/totals/cost_usd").asText());
        assertThat(cardValue("total-requests")).isEqualTo(data.at("/totals/requests").asText());
        assertThat(cardValue("active-users")).isEqualTo(data.at("/totals/active_users").asText());
        assertTable("top-users", data.get("top_users"), row -> row.get("user_id").asText(),
                Map.of("requests", row -> row.get("requests").asText(), "cost_usd", row -> "$" + row.get("cost_usd").asText()));
        assertTable("popular-operations", data.get("popular_operations"), row -> row.get("operation_type").asText(),
                Map.of("requests", row -> row.get("requests").asText()));
        assertTable("model-share", data.get("model_share"), row -> row.get("model").asText(),
                Map.of("request_share", row -> row.get("request_share").asText(),
                        "cost_share", row -> row.get("cost_share").asText()));
        for (JsonNode point : data.get("cost_over_time")) {
            assertThat(chartText("cost-chart")).contains(point.get("bucket").asText(), "$" + point.get("cost_usd").asText());
        }
    }

    private static void assertUsersTable(JsonNode page) {
        assertTable("users", page.get("items"), row -> row.get("user_id").asText(),
                Map.of("requests", row -> row.get("requests").asText(),
                        "tokens", row -> row.get("tokens").asText(),
                        "cost", row -> "$" + row.get("cost_usd").asText(),
                        "most_used_model", row -> row.get("most_used_model").asText(),
                        "last_call", row -> row.get("last_call").asText()));
    }

    /** The table's rows are the API's rows in the API's order, with these cells. */
    private static void assertTable(String id, JsonNode rows, Function<JsonNode, String> key,
                                    Map<String, Function<JsonNode, String>> cells) {
        List<WebElement> shown = browser.findElements(By.cssSelector("#" + id + " tbody tr[data-key]"));
        List<JsonNode> expected = StreamSupport.stream(rows.spliterator(), false).toList();
        assertThat(shown.stream().map(r -> r.getAttribute("data-key")).toList()).as(id)
                .containsExactlyElementsOf(expected.stream().map(key).toList());
        for (int i = 0; i < expected.size(); i++) {
            for (Map.Entry<String, Function<JsonNode, String>> cell : cells.entrySet()) {
                assertThat(cell(shown.get(i), cell.getKey())).as(id + " row " + i + " " + cell.getKey())
                        .isEqualTo(cell.getValue().apply(expected.get(i)));
            }
        }
    }

    private static String cell(WebElement row, String column) {
        return row.findElement(By.cssSelector("td[data-col='" + column + "']")).getText();
    }

    /** The text an ECharts SVG chart draws (axis labels, bar labels). */
    private static String chartText(String id) {
        return (String) browser.executeScript("return arguments[0].textContent", browser.findElement(By.id(id)));
    }

    private static String cardValue(String id) {
        return browser.findElement(By.cssSelector("#" + id + " .value")).getText();
    }

    private static WebElement field(String key) {
        return browser.findElement(By.cssSelector(".field[data-key='" + key + "']"));
    }

    private static String fieldError(String key) {
        return field(key).findElement(By.className("field-error")).getText();
    }

    private static List<String> texts(By by) {
        return browser.findElements(by).stream().map(WebElement::getText).toList();
    }

    private static void open(String page) {
        browser.get("about:blank");
        browser.get(base + "/" + page);
    }

    private static void click(By by) {
        browser.findElement(by).click();
    }

    /** Waits until the tab's view has rendered (or shown its error). */
    private static void awaitView(String tab) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#view-" + tab + "[data-ready=true]")));
    }

    private static void chooseJanuary() {
        JavascriptExecutor js = browser;
        js.executeScript("document.getElementById('period-from').value = '2025-01-01';"
                + "document.getElementById('period-to').value = '2025-01-31';");
        // The next render replaces the view: wait for the new one.
        js.executeScript("document.querySelector('.view').removeAttribute('data-ready')");
        click(By.id("period-apply"));
    }

    /** A full-page PNG (beyond the window's height) under target/screenshots/. */
    private static void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Map<String, Object> layout = browser.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) layout.get("cssContentSize");
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of(
                "format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", ((Number) size.get("width")).doubleValue(),
                        "height", Math.min(((Number) size.get("height")).doubleValue(), 4000), "scale", 1)));
        Files.write(SCREENSHOTS.resolve(name + ".png"), java.util.Base64.getDecoder().decode((String) shot.get("data")));
    }

    private static ChromeDriver startChromium() throws IOException {
        downloads = Files.createTempDirectory("dashboard-downloads-");
        ChromeOptions options = new ChromeOptions();
        // The installed Chromium and chromedriver: no browser or driver download.
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory("dashboard-chromium-"));
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    // ------------------------------------------------------------------ API and data helpers

    private static JsonNode api(String uri) {
        return get(TestGateway.adminToken(ADMIN), uri);
    }

    private static JsonNode get(String token, String uri) {
        byte[] body = http.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return read(body);
    }

    private static JsonNode post(String token, String uri, Object body) {
        byte[] answer = http.post().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return read(answer);
    }

    private static void putSetting(Map<String, Object> changes) {
        http.put().uri("/api/admin/settings").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.adminToken(ADMIN))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(changes).exchange().expectStatus().isOk();
    }

    /** A settings change that sets these keys back to their defaults (null values). */
    private static Map<String, Object> restoreDefaults(String... keys) {
        Map<String, Object> changes = new HashMap<>();
        for (String key : keys) {
            changes.put(key, null);
        }
        return changes;
    }

    private static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Today's live calls: dana two texts and an image, erik one text; waits until ClickHouse has their usage. */
    private static void generateTodaysUsage() {
        post(TestGateway.userToken(DANA), "/api/ai/generate-text", Map.of("prompt", "A birthday card for my sister"));
        post(TestGateway.userToken(DANA), "/api/ai/generate-text", Map.of("prompt", "A thank-you note", "tone", "formal"));
        post(TestGateway.userToken(DANA), "/api/ai/generate-image", Map.of("prompt", "A lighthouse at dusk", "width", 512, "height", 512));
        post(TestGateway.userToken(ERIK), "/api/ai/generate-text", Map.of("prompt", "A haiku about Kafka"));
        onPage(60).until(() -> api("/api/admin/analytics/dashboard?period=day").at("/totals/requests").asLong() >= 4);
    }

    /** Two alerts on ai.alerts, as the alerts service raises them; the later one is listed first. */
    private static void publishAlert() {
        AlertRaised budget = AlertRaised.newBuilder().setAlertId("PLATFORM_MONTHLY_BUDGET/platform/2025-01/80")
                .setKind(AlertKind.PLATFORM_MONTHLY_BUDGET).setSubject("platform").setPool(null).setPeriod("2025-01")
                .setThresholdPercent(80).setAmount(8_000_000_000L).setLimit(10_000_000_000L)
                .setMessage("Platform AI spend for 2025-01 reached 80% of the $10 budget")
                .setRaisedAt(Instant.parse("2025-01-20T10:00:00Z")).build();
        AlertRaised low = AlertRaised.newBuilder().setAlertId("LOW_CREDITS/dana/ai_credits/2025-01/10")
                .setKind(AlertKind.LOW_CREDITS).setSubject(DANA).setPool("ai_credits").setPeriod("2025-01")
                .setThresholdPercent(10).setAmount(9).setLimit(100)
                .setMessage("dana has 9 of 100 ai_credits left")
                .setRaisedAt(Instant.parse("2025-01-18T08:00:00Z")).build();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, backend.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (AlertRaised alert : List.of(low, budget)) {
                producer.send(new ProducerRecord<>(Topics.AI_ALERTS.name(), alert.getAlertId(), AvroSerdes.alertRaised().encode(alert)));
            }
            producer.flush();
        }
    }

    /** Every ledger entry of a user on credit.ledger, read from the start. */
    private static List<LedgerEntry> ledgerOf(String user) {
        try (KafkaConsumer<String, LedgerEntry> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, backend.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "ledger-watch-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), AvroSerdes.ledgerEntry())) {
            consumer.subscribe(List.of(Topics.CREDIT_LEDGER.name()));
            List<LedgerEntry> entries = new ArrayList<>();
            long quietSince = System.nanoTime();
            // Read until a second passes without a new record (the topic is small and already written).
            while (System.nanoTime() - quietSince < Duration.ofSeconds(2).toNanos() || entries.isEmpty()
                    && System.nanoTime() - quietSince < Duration.ofSeconds(20).toNanos()) {
                var records = consumer.poll(Duration.ofMillis(300));
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                records.forEach(r -> {
                    if (user.equals(r.value().getUserId())) {
                        entries.add(r.value());
                    }
                });
            }
            return entries;
        }
    }

    /** A wait on the page: an element the page re-rendered while it was read is read again, not a failure. */
    private static ConditionFactory onPage(int seconds) {
        return await().atMost(Duration.ofSeconds(seconds)).ignoreException(StaleElementReferenceException.class);
    }
}
