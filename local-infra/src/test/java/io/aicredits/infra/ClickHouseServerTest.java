package io.aicredits.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClickHouseServerTest {

    private static ClickHouseServer server;
    private static Client client;

    @BeforeAll
    static void startServer() {
        server = ClickHouseServer.start();
        client = server.newClient();
    }

    @AfterAll
    static void stopServer() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void shouldRoundTripRowsWithDecimalThroughJsonEachRow() throws Exception {
        // Given
        execute("CREATE TABLE usage_roundtrip (request_id String, user_id String, tokens UInt32, cost_usd Decimal(18,9)) "
                + "ENGINE = MergeTree() ORDER BY request_id");

        // When: 18.16 parses a Decimal in JSONEachRow only from an unquoted JSON number
        String rows = """
                {"request_id":"r1","user_id":"u1","tokens":1200,"cost_usd":0.000123456}
                {"request_id":"r2","user_id":"u2","tokens":7,"cost_usd":123456789.987654321}
                """;
        client.insert("usage_roundtrip", new ByteArrayInputStream(rows.getBytes(StandardCharsets.UTF_8)),
                ClickHouseFormat.JSONEachRow).get(30, TimeUnit.SECONDS).close();

        // Then
        List<String[]> read = selectTsv("SELECT request_id, user_id, tokens, cost_usd FROM usage_roundtrip ORDER BY request_id");
        assertThat(read).hasSize(2);
        assertThat(read.get(0)).containsExactly("r1", "u1", "1200", "0.000123456");
        assertThat(read.get(1)).containsExactly("r2", "u2", "7", "123456789.987654321");
        assertThat(new BigDecimal(read.get(0)[3])).isEqualTo(new BigDecimal("0.000123456"));
        assertThat(new BigDecimal(read.get(1)[3])).isEqualTo(new BigDecimal("123456789.987654321"));
        assertThat(select("SELECT toString(sum(cost_usd)) FROM usage_roundtrip FORMAT TabSeparated").trim())
                .isEqualTo("123456789.987777777");
        List<BigDecimal> fromJson = new ArrayList<>();
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        for (String line : select("SELECT cost_usd FROM usage_roundtrip ORDER BY request_id FORMAT JSONEachRow").split("\n")) {
            fromJson.add(json.readTree(line).get("cost_usd").decimalValue());
        }
        assertThat(fromJson).containsExactly(new BigDecimal("0.000123456"), new BigDecimal("123456789.987654321"));
    }

    @Test
    void shouldExplainHowToInstallWhenBinaryIsMissing(@TempDir Path dir) {
        assertThatThrownBy(() -> ClickHouseServer.start(Path.of("/nonexistent/clickhouse-server"), dir, 0, 0, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install -y clickhouse-server clickhouse-client");
    }

    @Test
    void shouldAnswerPingOnLoopbackEndpoint() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.endpoint() + "/ping")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(server.endpoint()).isEqualTo("http://127.0.0.1:" + server.httpPort());
        assertThat(response.body()).isEqualTo("Ok.\n");
    }

    @Test
    void shouldReportServerErrors() {
        assertThatThrownBy(() -> select("SELECT * FROM no_such_table FORMAT TabSeparated"))
                .hasMessageContaining("Table default.no_such_table doesn't exist");
    }

    static void execute(String sql) throws Exception {
        client.execute(sql).get(30, TimeUnit.SECONDS).close();
    }

    static String select(String sql) throws Exception {
        try (QueryResponse response = client.query(sql).get(30, TimeUnit.SECONDS);
             InputStream in = response.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String[]> selectTsv(String sql) throws Exception {
        return select(sql + " FORMAT TabSeparated").lines().map(line -> line.split("\t", -1)).toList();
    }
}
