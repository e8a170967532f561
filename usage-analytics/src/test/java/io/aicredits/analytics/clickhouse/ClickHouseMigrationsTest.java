package io.aicredits.analytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.clickhouse.ClickHouseMigrations.Migration;
import io.aicredits.analytics.support.ClickHouseTables;
import io.aicredits.infra.ClickHouseServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClickHouseMigrationsTest {

    private static ClickHouseServer clickHouse;

    @BeforeAll
    static void startClickHouse() {
        clickHouse = ClickHouseServer.start();
    }

    @AfterAll
    static void stopClickHouse() {
        if (clickHouse != null) {
            clickHouse.close();
        }
    }

    private static List<List<String>> schema(Client client) {
        List<List<String>> schema = new ArrayList<>(ClickHouseSql.select(client,
                "SELECT name, engine, create_table_query, toString(metadata_modification_time) FROM system.tables"
                        + " WHERE database = currentDatabase() ORDER BY name"));
        schema.addAll(ClickHouseSql.select(client, "SELECT table, name, type FROM system.columns"
                + " WHERE database = currentDatabase() ORDER BY table, name"));
        return schema;
    }

    @Test
    void shouldLeaveTheSchemaUnchangedWhenMigrationsRunTwice() {
        try (Client client = ClickHouseTables.client(clickHouse, "migrate_twice")) {
            // Given a first run on an empty database
            List<Migration> first = ClickHouseMigrations.migrate(client);
            List<List<String>> afterFirst = schema(client);

            // When the migrations run again
            List<Migration> second = ClickHouseMigrations.migrate(client);

            // Then nothing ran, nothing changed, each version is recorded once
            assertThat(first).extracting(Migration::version).containsExactly(1, 2, 3, 4);
            assertThat(second).isEmpty();
            assertThat(schema(client)).isEqualTo(afterFirst);
            assertThat(afterFirst).extracting(row -> row.get(0)).contains(
                    "ai_usage_logs", "credit_ledger", "usage_daily", "usage_daily_mv", ClickHouseMigrations.TABLE);
            assertThat(ClickHouseTables.count(client, "SELECT count() FROM " + ClickHouseMigrations.TABLE)).isEqualTo(4);
            assertThat(ClickHouseTables.count(client, "SELECT count() FROM system.columns WHERE database = currentDatabase()"
                    + " AND table = 'ai_usage_logs' AND name = 'tokens_cached_input' AND type = 'UInt64'")).isEqualTo(1);
        }
    }

    @Test
    void shouldRerunAMigrationThatWasInterruptedBeforeItWasRecorded() {
        try (Client client = ClickHouseTables.client(clickHouse, "migrate_interrupted")) {
            // Given V1's table and V4's column exist but the run died before recording anything
            Migration v1 = new ClickHouseMigrations(client).migrations().get(0);
            v1.statements().forEach(statement -> ClickHouseSql.execute(client, statement));
            Migration v4 = new ClickHouseMigrations(client).migrations().get(3);
            v4.statements().forEach(statement -> ClickHouseSql.execute(client, statement));

            // When
            List<Migration> ran = ClickHouseMigrations.migrate(client);

            // Then every migration ran (IF NOT EXISTS makes V1 harmless, V4's existing column is skipped) and is recorded
            assertThat(ran).extracting(Migration::version).containsExactly(1, 2, 3, 4);
            assertThat(new ClickHouseMigrations(client).appliedChecksums()).containsOnlyKeys(1, 2, 3, 4);
        }
    }

    @Test
    void shouldRefuseToContinueWhenAnAppliedMigrationWasEdited() {
        try (Client client = ClickHouseTables.client(clickHouse, "migrate_edited")) {
            ClickHouseMigrations.migrate(client);
            List<Migration> edited = new ArrayList<>(new ClickHouseMigrations(client).migrations());
            Migration v1 = edited.get(0);
            edited.set(0, Migration.of("V1__" + v1.name() + ".sql", v1.sql() + "\n-- edited"));

            assertThatThrownBy(() -> new ClickHouseMigrations(client, edited).migrate())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("V1__ai_usage_logs was changed after it was applied");
        }
    }
}
