package io.aicredits.analytics.rows;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import io.aicredits.analytics.clickhouse.ClickHouseAccessException;
import io.aicredits.analytics.clickhouse.ClickHouseSql;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Inserts rows with one HTTP request per call and reads back how far each Kafka partition got.
 *
 * <p>What effectively-once relies on: one {@code INSERT INTO t (columns) FORMAT TabSeparated}
 * (encoded by {@link TabSeparatedRows}) whose rows all fall into one table partition (month) and
 * fit one block (far fewer than {@code max_insert_block_size} = 1,048,576 rows, and far fewer bytes
 * than {@code min_insert_block_size_bytes} = 256 MiB) is written as one part, atomically: either
 * all rows become visible or none. The materialized views run on that block within the same insert.
 * Callers therefore only pass rows of one month (usage-sink cuts its batches by month). A failed or
 * timed-out insert has an unknown outcome; the caller re-reads positions with
 * {@link #maxOffsets} after {@link #insertsRunning} says the server finished it. An insert the
 * server refused as invalid data ({@link RejectedRowsException}) wrote nothing.
 */
public final class ClickHouseRowWriter {

    private static final String QUERY_ID_PREFIX = "usage-sink:";

    private final Client client;
    private final Duration timeout;

    public ClickHouseRowWriter(Client client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /**
     * Inserts rows (all of one month) coming from one Kafka partition, as one request.
     *
     * @throws RejectedRowsException     when ClickHouse refused the rows as invalid (nothing was written)
     * @throws ClickHouseAccessException when ClickHouse failed or could not be reached (outcome unknown)
     */
    public void insert(String table, int partition, List<MappedRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(rows.size() * 256);
        try {
            TabSeparatedRows.write(rows, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        InsertSettings settings = new InsertSettings().setQueryId(queryIdPrefix(table, partition) + UUID.randomUUID());
        // Encoded in full before the request starts, so a failure to encode never sends part of a batch.
        try (InsertResponse ignored = client.insert(table, rows.get(0).columns(), body::writeTo,
                        ClickHouseFormat.TabSeparated, settings)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            // Success: the rows and their aggregates are committed.
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            ServerException refusal = RejectedRowsException.invalidData(cause);
            if (refusal != null) {
                throw new RejectedRowsException("ClickHouse refused " + rows.size() + " rows for " + table
                        + " from partition " + partition + " as invalid: " + refusal.getMessage(), refusal);
            }
            throw new ClickHouseAccessException("Insert of " + rows.size() + " rows into " + table
                    + " from partition " + partition + " failed: " + cause, cause);
        }
    }

    /**
     * The highest Kafka offset stored in {@code table} for each of the given partitions; a
     * partition with no rows yet is absent.
     */
    public Map<Integer, Long> maxOffsets(String table, List<Integer> partitions) {
        Map<Integer, Long> result = new HashMap<>();
        if (partitions.isEmpty()) {
            return result;
        }
        List<String> ids = new ArrayList<>();
        partitions.forEach(p -> ids.add(Integer.toString(p)));
        String sql = "SELECT kafka_partition, max(kafka_offset) FROM " + table
                + " WHERE kafka_partition IN (" + String.join(", ", ids) + ") GROUP BY kafka_partition";
        for (List<String> row : ClickHouseSql.select(client, sql)) {
            result.put(Integer.parseInt(row.get(0)), Long.parseLong(row.get(1)));
        }
        return result;
    }

    /**
     * The inserts this sink (any instance) still has running in ClickHouse, as
     * {@code "table:partition"} strings, read from {@code system.processes}.
     */
    public Set<String> insertsRunning() {
        Set<String> running = new HashSet<>();
        String sql = "SELECT query_id FROM system.processes WHERE startsWith(query_id, "
                + ClickHouseSql.quote(QUERY_ID_PREFIX) + ")";
        for (List<String> row : ClickHouseSql.select(client, sql)) {
            String[] parts = row.get(0).split(":");
            if (parts.length >= 3) {
                running.add(parts[1] + ":" + parts[2]);
            }
        }
        return running;
    }

    private static String queryIdPrefix(String table, int partition) {
        return QUERY_ID_PREFIX + table + ":" + partition + ":";
    }
}
