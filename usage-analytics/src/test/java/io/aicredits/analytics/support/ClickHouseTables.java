package io.aicredits.analytics.support;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.clickhouse.ClickHouseClients;
import io.aicredits.analytics.clickhouse.ClickHouseSql;
import io.aicredits.infra.ClickHouseServer;
import java.time.Duration;
import java.util.List;

/** Test helpers: a client on a fresh database of a test server, and counts/sums read back. */
public final class ClickHouseTables {

    /** A client (the sink's own settings) on {@code database}, created if missing. */
    public static Client client(ClickHouseServer server, String database) {
        ClickHouseClients.ensureDatabase(server.endpoint(), "default", "", database);
        return ClickHouseClients.create(server.endpoint(), "default", "", database, Duration.ofSeconds(30));
    }

    public static long count(Client client, String sql) {
        return Long.parseLong(ClickHouseSql.select(client, sql).get(0).get(0));
    }

    /** Per day × user × model × operation: requests, tokens in, tokens out, cost — from the raw rows. */
    public static List<List<String>> rawDailySums(Client client) {
        return ClickHouseSql.select(client, "SELECT toDate(created_at) AS d, user_id, model, operation_type, count(),"
                + " sum(tokens_input), sum(tokens_output), sum(cost_usd) FROM ai_usage_logs"
                + " GROUP BY d, user_id, model, operation_type ORDER BY d, user_id, model, operation_type");
    }

    /** The same sums read from the aggregate table fed by the materialized view. */
    public static List<List<String>> aggregateDailySums(Client client) {
        return ClickHouseSql.select(client, "SELECT day, user_id, model, operation_type, sum(requests),"
                + " sum(tokens_input), sum(tokens_output), sum(cost_usd) FROM usage_daily"
                + " GROUP BY day, user_id, model, operation_type ORDER BY day, user_id, model, operation_type");
    }

    private ClickHouseTables() {
    }
}
