package io.aicredits.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClickHouseServerRestartTest {

    @Test
    void shouldKeepDataAndPortsAcrossStopAndRestart() throws Exception {
        try (ClickHouseServer server = ClickHouseServer.start()) {
            // Given a table with a row
            int port = server.httpPort();
            try (Client client = server.newClient()) {
                client.execute("CREATE TABLE kept (id UInt32, amount Decimal(18,9)) ENGINE = MergeTree() ORDER BY id")
                        .get(30, TimeUnit.SECONDS).close();
                client.insert("kept", new ByteArrayInputStream("{\"id\":1,\"amount\":42.000000001}\n".getBytes(StandardCharsets.UTF_8)),
                        ClickHouseFormat.JSONEachRow).get(30, TimeUnit.SECONDS).close();
            }
            long firstPid = server.pid().orElseThrow();

            // When it is stopped
            server.stop();

            // Then the process is gone and the endpoint refuses queries
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(server.pid()).isEmpty();
            try (Client client = server.newClient()) {
                assertThatThrownBy(() -> client.query("SELECT 1 FORMAT TabSeparated").get(10, TimeUnit.SECONDS).close())
                        .isNotNull();
            }

            // When it is restarted
            server.restart();

            // Then the same port serves the same data
            assertThat(server.httpPort()).isEqualTo(port);
            try (Client client = server.newClient();
                 QueryResponse response = client.query("SELECT id, amount FROM kept FORMAT TabSeparated").get(30, TimeUnit.SECONDS);
                 InputStream in = response.getInputStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("1\t42.000000001\n");
            }
        }
    }

    @Test
    void shouldDeleteTempDirAndStopProcessOnClose() {
        ClickHouseServer server = ClickHouseServer.start();
        Path dataDir = server.dataDir();
        long pid = server.pid().orElseThrow();

        server.close();
        server.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(dataDir).doesNotExist();
    }
}
