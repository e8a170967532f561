package io.aicredits.starter;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.client.Balance;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.stream.testing.MeteringStreamServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The guard's behaviour against the real broker and metering stream, the same for Spring MVC and
 * WebFlux (subclasses start an application of their stack with the same endpoints):
 * {@code POST /upscale} (catalog price: 2 generation credits), {@code /upscale/fails} (throws after
 * running), {@code /basic} (1 generation credit), {@code /summary} ({@code ai_summary}, token-priced,
 * estimate 3 credits, reports 1,200 + 300 tokens). The caller is the {@code X-User} header, turned
 * into the request's principal by a test filter.
 */
@ExtendWith(SharedMeteringStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GuardBehaviourTest {

    static final String GENERATION = "generation_credits";
    /** Runs of each endpoint body per user, counted by the test controllers. */
    static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    MeteringStreamServer server;
    StarterTestSupport stream;
    ConfigurableApplicationContext app;
    String baseUrl;

    /** Starts the application under test on a free port. */
    abstract ConfigurableApplicationContext startApp(MeteringStreamServer server, String... args);

    /** The status the application is configured to answer rejections with. */
    abstract int rejectionStatus();

    static void ran(String endpoint, String user) {
        RUNS.computeIfAbsent(endpoint + ":" + user, k -> new AtomicInteger()).incrementAndGet();
    }

    static int totalRuns() {
        return RUNS.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    static int runs(String endpoint, String user) {
        AtomicInteger count = RUNS.get(endpoint + ":" + user);
        return count == null ? 0 : count.get();
    }

    @BeforeAll
    void start(MeteringStreamServer shared) {
        server = shared;
        stream = new StarterTestSupport(server);
        app = startApp(server,
                "--spring.config.name=starter-test",
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--metering.client.bootstrap-servers=" + server.bootstrapServers(),
                "--metering.client.stream.url=" + server.url(),
                "--metering.client.guard.rejection-status=" + rejectionStatus());
        baseUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    void stop() {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            stream.close();
        }
    }

    static String newUser(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    HttpResponse<String> post(String path, String user) throws Exception {
        return http.send(request(path, user), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, String user) {
        return http.sendAsync(request(path, user), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String user) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (user != null) {
            builder.header("X-User", user);
        }
        return builder.build();
    }

    static Map<?, ?> json(HttpResponse<String> response) {
        return StarterTestSupport.JSON.readValue(response.body(), Map.class);
    }

    @Test
    void shouldRunTheHandlerOnceAndChargeTheCatalogPriceOnceWhenApproved() throws Exception {
        String user = newUser("approved");

        HttpResponse<String> response = post("/upscale", user);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<?, ?> body = json(response);
        assertThat(body.get("pool")).isEqualTo(GENERATION);
        assertThat(((Number) body.get("credits_held")).longValue()).isEqualTo(2);
        assertThat(((Number) body.get("balance_after")).longValue()).isEqualTo(8);
        assertThat(runs("upscale", user)).isEqualTo(1);
        Balance.Pool pool = stream.settledPool(user, GENERATION);
        assertThat(pool.used()).isEqualTo(2);
        assertThat(pool.balance()).isEqualTo(8);
        List<UsageEvent> usage = stream.usageOf(user, 1);
        assertThat(usage).singleElement().satisfies(event -> {
            assertThat(event.getStatus()).isEqualTo(UsageStatus.SUCCEEDED);
            assertThat(event.getRequestId()).isEqualTo(body.get("request_id"));
            assertThat(event.getOperationType()).isEqualTo("upscale");
        });
        MeterRegistry metrics = app.getBean(MeterRegistry.class);
        assertThat(metrics.counter("metering.guard.decisions", "operation", "upscale", "outcome", "approved").count()).isPositive();
        assertThat(metrics.counter("metering.guard.calls", "operation", "upscale", "outcome", "settled").count()).isPositive();
    }

    @Test
    void shouldRefuseWithTheRequiredAndAvailableCreditsAndNeverRunTheHandlerWhenShort() throws Exception {
        String user = newUser("short");
        app.getBean(CreditService.class).deductCredits(user, 9, GENERATION, "leave-one").join();

        HttpResponse<String> response = post("/upscale", user);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(rejectionStatus());
        Map<?, ?> body = json(response);
        assertThat(((Number) body.get("statusCode")).intValue()).isEqualTo(rejectionStatus());
        assertThat(body.get("error")).isEqualTo("INSUFFICIENT_CREDITS");
        assertThat((String) body.get("message")).startsWith("Insufficient AI credits. You have 1 credits, but need 2.");
        assertThat(((Number) body.get("credits_required")).longValue()).isEqualTo(2);
        assertThat(((Number) body.get("credits_available")).longValue()).isEqualTo(1);
        assertThat(body.get("pool")).isEqualTo(GENERATION);
        assertThat((String) body.get("next_reset")).endsWith("T00:00:00Z");
        assertThat(runs("upscale", user)).isZero();
        Balance.Pool pool = stream.settledPool(user, GENERATION);
        assertThat(pool.balance()).isEqualTo(1);
        assertThat(pool.used()).isZero();
    }

    @Test
    void shouldReleaseTheHoldAndChargeNothingWhenTheHandlerThrows() throws Exception {
        String user = newUser("throws");

        HttpResponse<String> response = post("/upscale/fails", user);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
        assertThat(runs("upscale-fails", user)).isEqualTo(1);
        assertThat(stream.usageOf(user, 1)).singleElement()
                .satisfies(event -> assertThat(event.getStatus()).isEqualTo(UsageStatus.FAILED));
        Balance.Pool pool = stream.settledPool(user, GENERATION);
        assertThat(pool.balance()).isEqualTo(10);
        assertThat(pool.used()).isZero();
    }

    @Test
    void shouldRunTheHandlerExactlyTenTimesFor100ConcurrentCallsOnTenCredits() throws Exception {
        String user = newUser("concurrent");

        List<HttpResponse<String>> responses = IntStream.range(0, 100).mapToObj(i -> postAsync("/basic", user)).toList()
                .stream().map(CompletableFuture::join).toList();

        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(10);
        assertThat(responses).filteredOn(r -> r.statusCode() == rejectionStatus()).hasSize(90);
        assertThat(runs("basic", user)).isEqualTo(10);
        Balance.Pool pool = stream.settledPool(user, GENERATION);
        assertThat(pool.balance()).isZero();
        assertThat(pool.used()).isEqualTo(10);
        assertThat(stream.usageOf(user, 10)).hasSize(10).allSatisfy(event ->
                assertThat(event.getStatus()).isEqualTo(UsageStatus.SUCCEEDED));
    }

    @Test
    void shouldPublishTheHandlersReportedUsageAndSettleTheHoldToIt() throws Exception {
        String user = newUser("usage");

        HttpResponse<String> response = post("/summary", user);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(((Number) json(response).get("credits_held")).longValue()).as("estimate of 3 held").isEqualTo(3);
        assertThat(stream.usageOf(user, 1)).singleElement().satisfies(event -> {
            assertThat(event.getStatus()).isEqualTo(UsageStatus.SUCCEEDED);
            assertThat(event.getModel()).isEqualTo("gpt-4o");
            assertThat(event.getTokensInput()).isEqualTo(1200);
            assertThat(event.getTokensOutput()).isEqualTo(300);
            assertThat(event.getCostUsdNanos()).isEqualTo(12_300_000L);
            assertThat(event.getPool()).isEqualTo("ai_tokens");
            assertThat(event.getOperationType()).isEqualTo("ai_summary");
        });
        // 1,500 tokens settle to 2 credits: the third one held is refunded.
        Balance.Pool pool = stream.settledPool(user, "ai_tokens");
        assertThat(pool.used()).isEqualTo(2);
        assertThat(pool.balance()).isEqualTo(98);
    }

    @Test
    void shouldAnswer401AndHoldNothingWithoutAPrincipal() throws Exception {
        int runsBefore = totalRuns();

        HttpResponse<String> response = post("/upscale", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(json(response).get("error")).isEqualTo("UNAUTHENTICATED");
        assertThat(totalRuns()).isEqualTo(runsBefore);
    }
}
