package io.aicredits.alerts.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.aicredits.alerts.notify.WebhookChannel;
import io.aicredits.analytics.UsageAnalytics;
import io.aicredits.analytics.clickhouse.ClickHouseClients;
import io.aicredits.analytics.clickhouse.ClickHouseMigrations;
import io.aicredits.analytics.rows.ClickHouseRowWriter;
import io.aicredits.analytics.rows.UsageRowMapper;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.infra.ClickHouseServer;
import io.aicredits.infra.FreePorts;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daily report with known usage in ClickHouse (read through usage-sink's UsageAnalytics):
 * the email arrives over SMTP (GreenMail) with the exact numbers, and the webhook gets the same
 * numbers as JSON.
 */
class DailyReportTest {

    private static ClickHouseServer clickHouse;
    private static Client client;
    private static GreenMail smtp;
    private static HttpServer http;
    private static final List<JsonNode> webhook = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        clickHouse = ClickHouseServer.start();
        ClickHouseClients.ensureDatabase(clickHouse.endpoint(), "default", "", "report");
        client = ClickHouseClients.create(clickHouse.endpoint(), "default", "", "report", Duration.ofSeconds(30));
        ClickHouseMigrations.migrate(client);
        List<UsageEvent> events = List.of(
                event("k1", "karina", "gpt-4o", "ai_summary", 1000, 2000, 60_000_000, "2025-01-15T12:00:00Z"),
                event("k2", "karina", "gpt-4o-mini", "ai_card", 100, 50, 90_000, "2025-01-15T18:30:00Z"),
                event("a1", "anna", "gpt-4o-mini", "ai_card", 300, 0, 270_000, "2025-01-15T08:00:00Z"),
                failed(event("a2", "anna", "gpt-4o-mini", "emotion_analysis", 50, 50, 60_000, "2025-01-15T10:00:00Z")),
                event("x1", "alexey", "whisper-1", "voice_to_text", 0, 0, 1_000_000_000, "2025-01-06T09:00:00Z"),
                // Outside: the month before, and the day after.
                event("out1", "anna", "gpt-4o", "ai_summary", 1, 1, 5_000_000_000L, "2024-12-31T23:59:59Z"),
                event("out2", "karina", "gpt-4o", "ai_summary", 1, 1, 2_000_000_000L, "2025-01-16T00:00:00Z"));
        ClickHouseRowWriter writer = new ClickHouseRowWriter(client, Duration.ofSeconds(30));
        UsageRowMapper mapper = new UsageRowMapper();
        for (int i = 0; i < events.size(); i++) {
            writer.insert(UsageRowMapper.TABLE, 0, List.of(mapper.map(events.get(i), 0, i)));
        }
        smtp = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/hook", exchange -> {
            webhook.add(JsonMapper.builder().build().readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        http.start();
    }

    @AfterAll
    static void stop() {
        try {
            if (http != null) {
                http.stop(0);
            }
            if (smtp != null) {
                smtp.stop();
            }
            if (client != null) {
                client.close();
            }
        } finally {
            if (clickHouse != null) {
                clickHouse.close();
            }
        }
    }

    @Test
    void shouldEmailTheDailyReportWithCorrectNumbersAndPostItToTheWebhook() throws Exception {
        JavaMailSenderImpl mail = new JavaMailSenderImpl();
        mail.setHost("127.0.0.1");
        mail.setPort(smtp.getSmtp().getPort());
        DailyReports reports = new DailyReports(new UsageAnalytics(client), () -> new BigDecimal("10"), mail,
                "ai-reports@aicredits.local", List.of("root@aicredits.local"),
                List.of(new WebhookChannel(URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/hook"),
                        Duration.ofSeconds(5))), 5);

        reports.send(LocalDate.of(2025, 1, 15));

        assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage email = smtp.getReceivedMessages()[0];
        assertThat(email.getAllRecipients()).extracting(Object::toString).containsExactly("root@aicredits.local");
        assertThat(email.getSubject()).isEqualTo("AI usage report 2025-01-15: $0.0604 today, $1.0604 this month");
        String body = GreenMailUtil.getBody(email).replace("\r\n", "\n");
        assertThat(body).contains(
                "Cost today: $0.0604 (4 requests, 1 failed, 2 active users)\n",
                "Cost month to date: $1.0604 (5 requests)\n",
                "Monthly budget: $1.0604 of $10.0000 (10.6%)\n",
                "Top users today:\n  1. karina: $0.0601, 2 requests, 3150 tokens\n  2. anna: $0.0003, 2 requests, 400 tokens\n",
                "Top operations today:\n  ai_card: 2 requests, $0.0004\n  ai_summary: 1 requests, $0.0600\n"
                        + "  emotion_analysis: 1 requests, $0.0001");

        assertThat(webhook).singleElement().satisfies(json -> {
            assertThat(json.get("id").asString()).isEqualTo("daily-report/2025-01-15");
            assertThat(json.get("type").asString()).isEqualTo("daily_report");
            assertThat(new BigDecimal(json.get("cost_today_usd").asString())).isEqualByComparingTo("0.06042");
            assertThat(new BigDecimal(json.get("cost_month_to_date_usd").asString())).isEqualByComparingTo("1.06042");
            assertThat(json.get("budget_used_percent").asString()).isEqualTo("10.6");
            assertThat(json.get("top_users").get(0).get("user_id").asString()).isEqualTo("karina");
        });
    }

    private static UsageEvent event(String id, String user, String model, String operation, long in, long out, long costNanos,
                                    String at) {
        return UsageEvent.newBuilder()
                .setId(id).setRequestId("req-" + id).setUserId(user).setModel(model).setOperationType(operation)
                .setPool("ai_credits").setStatus(UsageStatus.SUCCEEDED).setTokensInput(in).setTokensOutput(out)
                .setCostUsdNanos(costNanos).setLatencyMs(100).setCreatedAt(Instant.parse(at)).setMetadata(Map.of())
                .build();
    }

    private static UsageEvent failed(UsageEvent e) {
        e.setStatus(UsageStatus.FAILED);
        return e;
    }
}
