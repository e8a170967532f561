package io.aicredits.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.aicredits.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Smoke test of the local run: starts it as run-local.sh does (every app from its exec jar, real
 * Kafka and ClickHouse, sandbox provider) on free ports and a temp data dir, performs seed 000's
 * five curl tests against the gateway, one call as the super admin, checks the usage rows in
 * ClickHouse, kills the metering stream and sees the launcher bring it back (also under load, where
 * every answer must have told the truth about what was charged), and stops everything.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalRunSmokeIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TEXT_BODY = "{\"prompt\":\"Test\",\"tone\":\"friendly\",\"length\":\"short\"}";
    private static final String IMAGE_BODY = "{\"prompt\":\"Test image\",\"width\":1024,\"height\":1024}";

    @TempDir
    static Path dataDir;

    private static LocalStack stack;
    private static HttpClient http;

    @BeforeAll
    static void startLocalRun() {
        Path repoDir = Path.of(System.getProperty("localstack.repo-dir", ".."));
        LocalStackSettings settings = LocalStackSettings.parse(List.of(
                "--repo-dir", repoDir.toString(),
                "--data-dir", dataDir.toString(),
                "--gateway-port", "0", "--kafka-port", "0",
                "--clickhouse-http-port", "0", "--clickhouse-tcp-port", "0",
                "--stream-port", "0", "--sink-port", "0", "--scheduler-port", "0", "--alerts-port", "0",
                "--partitions", "3",
                "--provider", "sandbox",
                // run-local.sh's default: seed 000's test 5 is a user resetting their own credits
                "--test-mode", "true"), Map.of());
        stack = LocalStack.start(settings, Map.of());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopLocalRun() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void shouldPassSeed000CurlTestsAndRecordTheUsage() throws Exception {
        // Given a user the pipeline has never seen
        String user = "smoke-" + UUID.randomUUID().toString().substring(0, 8);
        String token = stack.tokens().user(user);
        String resetDate = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1).format(DateTimeFormatter.ofPattern("M/d/yyyy"));

        // Test 1: the initial balance is 100
        JsonNode balance = send("GET", "/api/ai/credits", token, null, 200);
        assertThat(balance.get("credits").asLong()).isEqualTo(100);
        assertThat(balance.get("credits_limit").asLong()).isEqualTo(100);

        // Test 2: a text generation costs 1 credit and gives 3 variants
        JsonNode text = send("POST", "/api/ai/generate-text", token, TEXT_BODY, 200);
        assertThat(text.get("credits_remaining").asLong()).isEqualTo(99);
        assertThat(text.get("variants")).hasSize(3);

        // Test 3: an image costs 5 credits, and the image is served
        JsonNode image = send("POST", "/api/ai/generate-image", token, IMAGE_BODY, 200);
        assertThat(image.get("credits_remaining").asLong()).isEqualTo(94);
        assertThat(image.get("status").asString()).isEqualTo("completed");
        HttpResponse<byte[]> media = http.send(request("GET", image.get("image_url").asString(), token, null),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(media.statusCode()).isEqualTo(200);
        assertThat(media.body()).isNotEmpty();

        // Test 4: images until the credits run out, then a 400 with seed 000's message
        for (long expected = 89; expected >= 4; expected -= 5) {
            assertThat(send("POST", "/api/ai/generate-image", token, IMAGE_BODY, 200).get("credits_remaining").asLong()).isEqualTo(expected);
        }
        JsonNode rejected = send("POST", "/api/ai/generate-image", token, IMAGE_BODY, 400);
        assertThat(rejected.get("statusCode").asInt()).isEqualTo(400);
        assertThat(rejected.get("message").asString())
                .isEqualTo("Insufficient AI credits. You have 4 credits, but need 5. Credits will reset on " + resetDate + ".");

        // Test 5: a manual reset brings the credits back to 100
        JsonNode reset = send("PATCH", "/api/ai/credits/reset", token, null, 200);
        assertThat(reset.get("message").asString()).isEqualTo("Credits reset successfully");
        assertThat(reset.get("balance").get("credits").asLong()).isEqualTo(100);
        assertThat(send("GET", "/api/ai/credits", token, null, 200).get("credits").asLong()).isEqualTo(100);

        // Test 4 as the seed words it: 20 images spend 100 credits, the 21st is refused
        for (long expected = 95; expected >= 0; expected -= 5) {
            assertThat(send("POST", "/api/ai/generate-image", token, IMAGE_BODY, 200).get("credits_remaining").asLong()).isEqualTo(expected);
        }
        assertThat(send("POST", "/api/ai/generate-image", token, IMAGE_BODY, 400).get("message").asString())
                .isEqualTo("Insufficient AI credits. You have 0 credits, but need 5. Credits will reset on " + resetDate + ".");

        // The super admin sees the user's balance; the user may not use admin endpoints
        JsonNode admin = send("GET", "/api/admin/credits/" + user, stack.tokens().superAdmin(DemoTokens.DEMO_ADMIN), null, 200);
        assertThat(admin.get("balances").get("ai_credits").asLong()).isZero();
        send("GET", "/api/admin/credits/" + user, token, null, 403);

        // Analytics: every successful generation lands in ClickHouse (1 text; 1 + 18 + 20 images), and the
        // super admin's operation-types view reports it for this month (the smoke user is the only user).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(usageByOperation(user)).containsExactly(
                        "image_generation\t39\t195",
                        "text_generation\t1\t1"));
        JsonNode operations = send("GET", "/api/admin/analytics/operations?period=month",
                stack.tokens().superAdmin(DemoTokens.DEMO_ADMIN), null, 200);
        Map<String, Long> requestsByOperation = new TreeMap<>();
        operations.get("items").forEach(item -> requestsByOperation.merge(
                item.get("operation_type").asString(), item.get("requests").asLong(), Long::sum));
        assertThat(requestsByOperation).containsExactly(Map.entry("image_generation", 39L), Map.entry("text_generation", 1L));
        send("GET", "/api/admin/analytics/operations?period=month", token, null, 403);

        // Alerts: the drained pool (≤ 10 % of the period's 100 credits) raised one LOW_CREDITS alert on ai.alerts
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(alertIds()).filteredOn(id -> id.startsWith("LOW_CREDITS/" + user + "/")).hasSize(1));
    }

    /** The packaged gateway serves the pages and the chart WebJar without a token; the banner links to them. */
    @Test
    @Order(4)
    void shouldServeTheDashboardPagesAndPrintTheirSignInLinks() throws Exception {
        for (String page : List.of("/admin.html", "/credits.html", "/js/admin.js", "/webjars/echarts/dist/echarts.esm.min.js")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + page))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(page).isEqualTo(200);
        }
        // The admin link signs a super admin in, the credits link the demo user (a user: 403 on admin endpoints)
        String banner = stack.banner();
        String adminToken = linkToken(banner, stack.gatewayUrl() + "/admin.html#token=");
        String userToken = linkToken(banner, stack.gatewayUrl() + "/credits.html#token=");
        send("GET", "/api/admin/analytics/forecast", adminToken, null, 200);
        send("GET", "/api/ai/credits/history", userToken, null, 200);
        send("GET", "/api/admin/analytics/forecast", userToken, null, 403);
    }

    private static String linkToken(String banner, String prefix) {
        int start = banner.indexOf(prefix);
        assertThat(start).as("banner has a link starting %s", prefix).isNotNegative();
        int end = banner.indexOf('\n', start);
        return banner.substring(start + prefix.length(), end < 0 ? banner.length() : end).trim();
    }

    /** Runs after the seed 000 test, whose analytics assertions count every user's usage of the month. */
    @Test
    @Order(3)
    void shouldRestartTheMeteringStreamAfterItIsKilled() throws Exception {
        // Given a running local run and a user who spent a credit
        String user = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        String token = stack.tokens().user(user);
        assertThat(send("POST", "/api/ai/generate-text", token, TEXT_BODY, 200).get("credits_remaining").asLong()).isEqualTo(99);
        SupervisedApp meteringStream = stack.app("metering-stream");
        long killedPid = meteringStream.current().pid();

        // When the metering stream is killed with SIGKILL, as a crash would
        ProcessHandle.of(killedPid).orElseThrow().destroyForcibly();

        // Then the launcher starts it again, waits until its balances answer, and credits are decided as before
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(meteringStream.current().pid()).isNotEqualTo(killedPid);
            assertThat(meteringStream.state()).isEqualTo(SupervisedApp.State.RUNNING);
        });
        assertThat(meteringStream.restarts()).isEqualTo(1);
        assertThat(send("POST", "/api/ai/generate-text", token, TEXT_BODY, 200).get("credits_remaining").asLong()).isEqualTo(98);
    }

    /**
     * Runs after the plain restart test. The metering stream dies while one user's generations are in
     * flight: every 200 is charged exactly once, every 503 ("nothing was charged") is neither charged
     * nor held once the stream is back, and ClickHouse's ledger adds up to the stream's balance.
     */
    @Test
    @Order(5)
    void shouldChargeEveryAnsweredCallOnceAndNothingElseWhenTheStreamIsKilledUnderLoad() throws Exception {
        // Given a user with 100 credits and 150 text generations (1 credit each) sent at once
        String user = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        String token = stack.tokens().user(user);
        assertThat(send("GET", "/api/ai/credits", token, null, 200).get("credits").asLong()).isEqualTo(100);
        SupervisedApp meteringStream = stack.app("metering-stream");
        long killedPid = meteringStream.current().pid();
        int restartsBefore = meteringStream.restarts();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            calls.add(http.sendAsync(request("POST", "/api/ai/generate-text", token, TEXT_BODY), HttpResponse.BodyHandlers.ofString()));
        }

        // When the stream is killed with SIGKILL as soon as the first ten have been answered
        await().atMost(Duration.ofSeconds(60)).until(() -> calls.stream().filter(CompletableFuture::isDone).count() >= 10);
        ProcessHandle.of(killedPid).orElseThrow().destroyForcibly();
        Map<Integer, Long> statuses = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            statuses.merge(call.get(120, TimeUnit.SECONDS).statusCode(), 1L, Long::sum);
        }

        // Then the calls were answered 200, 400 (out of credits) or 503 (nothing charged), some of each kind that ran into the crash
        assertThat(statuses.keySet()).as("statuses %s", statuses).isSubsetOf(200, 400, 503).contains(200, 503);
        long answered = statuses.getOrDefault(200, 0L);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(meteringStream.restarts()).isEqualTo(restartsBefore + 1);
            assertThat(meteringStream.state()).isEqualTo(SupervisedApp.State.RUNNING);
        });
        // and within 30 s of the restart the balance is the limit minus the 200s, nothing is held,
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode pool = creditsPool(user);
            assertThat(pool.get("balance").asLong()).as("balance after %s", statuses).isEqualTo(100 - answered);
            assertThat(pool.get("held").asLong()).as("held after %s", statuses).isZero();
        });
        // and ClickHouse's ledger and usage rows agree with it
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(clickHouse("SELECT sum(delta) FROM credit_ledger WHERE user_id = '" + user + "' AND pool = 'ai_credits'"))
                    .containsExactly(Long.toString(100 - answered));
            assertThat(clickHouse("SELECT count() FROM ai_usage_logs WHERE user_id = '" + user + "' AND status = 'SUCCEEDED'"))
                    .containsExactly(Long.toString(answered));
        });
    }

    private static JsonNode creditsPool(String user) throws Exception {
        JsonNode admin = send("GET", "/api/admin/credits/" + user, stack.tokens().superAdmin(DemoTokens.DEMO_ADMIN), null, 200);
        for (JsonNode pool : admin.get("pools")) {
            if (pool.get("pool").asString().equals("ai_credits")) {
                return pool;
            }
        }
        throw new AssertionError("no ai_credits pool in " + admin);
    }

    @Test
    @Order(6)
    void shouldKeepInternalEndpointsClosedAndListenOnLoopbackOnly() throws Exception {
        // The banner says test mode is on and where the internal token is
        assertThat(stack.banner()).contains("Test mode:        ON").contains(dataDir.resolve(LocalStack.INTERNAL_TOKEN_FILE).toString());
        assertThat(Files.readString(dataDir.resolve(LocalStack.INTERNAL_TOKEN_FILE)).trim()).isEqualTo(stack.internalToken());
        assertThat(Files.getPosixFilePermissions(dataDir.resolve(LocalStack.INTERNAL_TOKEN_FILE)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        // Balance queries and metrics need the internal token; health does not
        HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create(stack.streamUrl() + "/balances/someone")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(open.statusCode()).isEqualTo(401);
        HttpResponse<String> withToken = http.send(HttpRequest.newBuilder(URI.create(stack.streamUrl() + "/balances/someone"))
                .header("Authorization", "Bearer " + stack.internalToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(stack.alertsHealthUrl())).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        // Not reachable on this machine's other addresses
        List<InetAddress> external = NetworkInterface.networkInterfaces().filter(nic -> {
            try {
                return nic.isUp() && !nic.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(address -> address instanceof Inet4Address).toList();
        for (InetAddress address : external) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, stack.gatewayPort()), 2000))
                        .as("gateway on %s", address).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    @Order(2)
    void shouldRefuseASecondRunOnTheSameDataDirWithoutTouchingPorts() {
        LocalStackSettings sameDataDir = LocalStackSettings.parse(List.of("--data-dir", dataDir.toString()), Map.of());

        assertThatThrownBy(() -> LocalStack.start(sameDataDir, Map.of()))
                .isInstanceOf(InstanceLock.AlreadyRunningException.class)
                .hasMessageContaining("already running (pid " + ProcessHandle.current().pid() + ")");
        assertThat(Files.exists(dataDir.resolve(InstanceLock.FILE_NAME))).isTrue();
    }

    /** Every alert id on ai.alerts (read_committed: what the notifier sees). */
    private static List<String> alertIds() {
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AI_ALERTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> ids.add(record.key()));
            }
        }
        return ids;
    }

    private static List<String> usageByOperation(String user) throws Exception {
        return clickHouse("SELECT operation_type, count(), sum(credits_charged) FROM ai_usage_logs"
                + " WHERE user_id = '" + user + "' AND status = 'SUCCEEDED'"
                + " GROUP BY operation_type ORDER BY operation_type");
    }

    /** The lines of a query's TabSeparated answer. */
    private static List<String> clickHouse(String sql) throws Exception {
        try (Client client = stack.clickHouse().newClient();
             QueryResponse response = client.query(sql + " FORMAT TabSeparated").get(30, TimeUnit.SECONDS)) {
            String body = new String(response.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return body.lines().toList();
        }
    }

    private static JsonNode send(String method, String path, String token, String body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(method, path, token, body), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s answered %s", method, path, response.body()).isEqualTo(expectedStatus);
        return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private static HttpRequest request(String method, String path, String token, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return builder.build();
    }
}
