package io.aicredits.analytics.clickhouse;

import com.clickhouse.client.api.Client;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * Builds client-v2 clients the way this project talks to ClickHouse: HTTP, compression off (18.16
 * cannot read the client's LZ4 framing), no automatic retries (a retried insert whose first attempt
 * did commit would store its rows twice; the sink decides itself when to try again), server time
 * zone and version given up front.
 */
public final class ClickHouseClients {

    public static Client create(String url, String username, String password, String database, Duration socketTimeout) {
        return new Client.Builder()
                .addEndpoint(url)
                .setUsername(username)
                .setPassword(password == null ? "" : password)
                .setDefaultDatabase(database)
                // 18.16 ignores the X-ClickHouse-Database header client-v2 sends; it reads the URL parameter.
                .serverSetting("database", database)
                .compressServerResponse(false)
                .compressClientRequest(false)
                .useHttpCompression(false)
                .setMaxRetries(0)
                // Known up front so client-v2 does not probe the server with a query 18.16 cannot
                // answer. Our tables use DateTime('UTC') and our SQL never depends on these.
                .useServerTimeZone(false)
                .setServerTimeZone("UTC")
                .useTimeZone("UTC")
                .setServerVersion("18.16")
                .setConnectTimeout(5, ChronoUnit.SECONDS)
                .setSocketTimeout(socketTimeout.toMillis(), ChronoUnit.MILLIS)
                .build();
    }

    /** Creates {@code database} if missing, using a client on the {@code default} database. */
    public static void ensureDatabase(String url, String username, String password, String database) {
        if ("default".equals(database)) {
            return;
        }
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("ClickHouse database name must be an identifier: " + database);
        }
        try (Client client = create(url, username, password, "default", Duration.ofSeconds(30))) {
            ClickHouseSql.execute(client, "CREATE DATABASE IF NOT EXISTS " + database);
        }
    }

    private ClickHouseClients() {
    }
}
