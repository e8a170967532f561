package io.aicredits.analytics.clickhouse;

import com.clickhouse.client.api.Client;
import io.aicredits.internal.Secrets;
import java.time.Duration;

/**
 * Where an app reaches ClickHouse: the HTTP endpoint, the user, the database and how long one
 * statement may take. Each app binds it under its own prefix ({@code usage-sink.clickhouse.*},
 * {@code gateway.clickhouse.*}, {@code alerts.report.clickhouse.*}); a value left out takes the
 * default below.
 *
 * @param url      HTTP endpoint; default {@code http://localhost:8123}
 * @param username default {@code default}
 * @param password default empty
 * @param database default {@code default}
 * @param timeout  socket timeout of one statement; default 30 s
 */
public record ClickHouseConnection(String url, String username, String password, String database, Duration timeout) {

    public ClickHouseConnection {
        url = url == null ? "http://localhost:8123" : url;
        username = username == null ? "default" : username;
        password = password == null ? "" : password;
        database = database == null ? "default" : database;
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
    }

    /** A client on {@link #database} (see {@link ClickHouseClients#create}). */
    public Client client() {
        return ClickHouseClients.create(url, username, password, database, timeout);
    }

    /** Creates {@link #database} if it is missing (see {@link ClickHouseClients#ensureDatabase}). */
    public void ensureDatabase() {
        ClickHouseClients.ensureDatabase(url, username, password, database);
    }

    @Override
    public String toString() {
        return "ClickHouseConnection[url=" + url + ", username=" + username + ", password=" + Secrets.mask(password)
                + ", database=" + database + ", timeout=" + timeout + "]";
    }
}
