package io.aicredits.analytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aicredits.analytics.clickhouse.ClickHouseMigrations.Migration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationFilesTest {

    @Test
    void shouldLoadTheBundledMigrationsInVersionOrder() {
        List<Migration> migrations = ClickHouseMigrations.loadMigrations(ClickHouseMigrations.LOCATION);

        assertThat(migrations).extracting(Migration::version).containsExactly(1, 2, 3, 4);
        assertThat(migrations).extracting(Migration::name)
                .containsExactly("ai_usage_logs", "credit_ledger", "usage_daily", "ai_usage_logs_cached_tokens");
        assertThat(migrations.get(2).statements()).hasSize(2);
        assertThat(migrations.get(2).statements().get(1)).startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS usage_daily_mv TO usage_daily");
    }

    @Test
    void shouldAvoidSqlThatClickHouse1816CannotRun() {
        for (Migration migration : ClickHouseMigrations.loadMigrations(ClickHouseMigrations.LOCATION)) {
            assertThat(migration.sql()).doesNotContainPattern("(?i)DateTime64|\\bMap\\(|\\bTTL\\b|\\bOVER\\s*\\(|\\{\\w+:\\w+}");
            // Re-runnable: IF NOT EXISTS, or a single-column ADD COLUMN the runner skips when the column exists
            assertThat(migration.statements()).allSatisfy(s -> assertThat(s.contains("IF NOT EXISTS")
                    || ClickHouseMigrations.ADD_COLUMN.matcher(s).matches()).as(s).isTrue());
        }
    }

    @Test
    void shouldSplitStatementsAtLineEndingSemicolonsAndDropComments() {
        Migration migration = Migration.of("V7__two.sql", "-- comment\nCREATE TABLE IF NOT EXISTS a (x UInt8) ENGINE = Memory;\n\n"
                + "CREATE TABLE IF NOT EXISTS b (s String DEFAULT 'a;b') ENGINE = Memory\n");

        assertThat(migration.version()).isEqualTo(7);
        assertThat(migration.statements()).containsExactly(
                "CREATE TABLE IF NOT EXISTS a (x UInt8) ENGINE = Memory",
                "CREATE TABLE IF NOT EXISTS b (s String DEFAULT 'a;b') ENGINE = Memory");
    }

    @Test
    void shouldRejectBadlyNamedFiles() {
        assertThatThrownBy(() -> Migration.of("usage.sql", "SELECT 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("V1__name.sql");
    }
}
