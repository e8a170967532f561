package io.aicredits.analytics.clickhouse;

import com.clickhouse.client.api.Client;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Applies the versioned ClickHouse migrations in {@code db/clickhouse/V<n>__<name>.sql} (on the
 * classpath) in version order and records each one in {@value #TABLE}. A migration already
 * recorded is skipped; one whose text changed after it was applied stops the start-up. Every
 * statement is written with {@code IF NOT EXISTS}, so a migration interrupted half-way (or run by
 * two instances at once) is simply run again. ClickHouse 18.16 has no {@code ADD COLUMN IF NOT
 * EXISTS}: an {@code ALTER TABLE t ADD COLUMN c …} (one column per statement) is written plainly and
 * run only when {@code system.columns} does not have the column yet. Tables are created in the
 * client's default database.
 *
 * <p>Used by usage-sink at start-up and by tests of any module that needs the analytics schema.
 */
public final class ClickHouseMigrations {

    public static final String TABLE = "schema_migrations";
    public static final String LOCATION = "classpath*:db/clickhouse/V*__*.sql";

    private static final Logger log = LoggerFactory.getLogger(ClickHouseMigrations.class);
    private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

    private final Client client;
    private final List<Migration> migrations;

    public ClickHouseMigrations(Client client) {
        this(client, loadMigrations(LOCATION));
    }

    ClickHouseMigrations(Client client, List<Migration> migrations) {
        this.client = client;
        this.migrations = List.copyOf(migrations);
    }

    /** Convenience: applies every pending migration with the given client. */
    public static List<Migration> migrate(Client client) {
        return new ClickHouseMigrations(client).migrate();
    }

    /** The migrations found on the classpath, in version order. */
    public List<Migration> migrations() {
        return migrations;
    }

    /**
     * Applies every migration not yet recorded, in version order.
     *
     * @return the migrations applied by this call (empty when the schema was up to date)
     * @throws IllegalStateException when an applied migration's text no longer matches its checksum
     */
    public List<Migration> migrate() {
        ClickHouseSql.execute(client, "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                + " version UInt32, name String, checksum String, applied_at DateTime('UTC')"
                + ") ENGINE = ReplacingMergeTree ORDER BY version");
        Map<Integer, String> applied = appliedChecksums();
        List<Migration> ran = new ArrayList<>();
        for (Migration migration : migrations) {
            String checksum = applied.get(migration.version());
            if (checksum != null) {
                if (!checksum.equals(migration.checksum())) {
                    throw new IllegalStateException("ClickHouse migration V" + migration.version() + "__"
                            + migration.name() + " was changed after it was applied (checksum " + checksum
                            + " recorded, " + migration.checksum() + " now); add a new migration instead");
                }
                continue;
            }
            log.info("Applying ClickHouse migration V{}__{}", migration.version(), migration.name());
            for (String statement : migration.statements()) {
                if (!addsExistingColumn(statement)) {
                    ClickHouseSql.execute(client, statement);
                }
            }
            ClickHouseSql.execute(client, "INSERT INTO " + TABLE + " (version, name, checksum, applied_at) VALUES ("
                    + migration.version() + ", " + ClickHouseSql.quote(migration.name()) + ", "
                    + ClickHouseSql.quote(migration.checksum()) + ", now())");
            ran.add(migration);
        }
        return ran;
    }

    /** {@code ALTER TABLE <table> ADD COLUMN <column> …}, the one statement ClickHouse 18.16 cannot guard with IF NOT EXISTS. */
    static final Pattern ADD_COLUMN = Pattern.compile("(?is)\\s*ALTER\\s+TABLE\\s+(\\w+)\\s+ADD\\s+COLUMN\\s+(\\w+)\\s.*");

    private boolean addsExistingColumn(String statement) {
        java.util.regex.Matcher add = ADD_COLUMN.matcher(statement);
        return add.matches() && !ClickHouseSql.select(client, "SELECT name FROM system.columns WHERE database = currentDatabase()"
                + " AND table = " + ClickHouseSql.quote(add.group(1)) + " AND name = " + ClickHouseSql.quote(add.group(2))).isEmpty();
    }

    /** Version → checksum of every migration recorded as applied. */
    public Map<Integer, String> appliedChecksums() {
        Map<Integer, String> applied = new HashMap<>();
        for (List<String> row : ClickHouseSql.select(client,
                "SELECT version, any(checksum) FROM " + TABLE + " GROUP BY version ORDER BY version")) {
            applied.put(Integer.parseInt(row.get(0)), row.get(1));
        }
        return applied;
    }

    /** Reads and orders the migration files matching a Spring resource pattern. */
    static List<Migration> loadMigrations(String locationPattern) {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources(locationPattern);
            Map<Integer, Migration> byVersion = new HashMap<>();
            for (Resource resource : resources) {
                Migration migration = Migration.of(resource.getFilename(), read(resource));
                Migration clash = byVersion.put(migration.version(), migration);
                if (clash != null && !clash.sql().equals(migration.sql())) {
                    throw new IllegalStateException("Two ClickHouse migrations with version " + migration.version()
                            + ": " + clash.name() + " and " + migration.name());
                }
            }
            return byVersion.values().stream().sorted(Comparator.comparingInt(Migration::version)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list ClickHouse migrations at " + locationPattern, e);
        }
    }

    private static String read(Resource resource) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * One migration file.
     *
     * @param version  the number after {@code V}
     * @param name     the part after {@code __}, without {@code .sql}
     * @param sql      the file's text
     * @param checksum SHA-256 of the text, recorded when applied
     */
    public record Migration(int version, String name, String sql, String checksum) {

        static Migration of(String fileName, String sql) {
            Matcher matcher = FILE_NAME.matcher(fileName == null ? "" : fileName);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("ClickHouse migration file name must look like V1__name.sql: " + fileName);
            }
            return new Migration(Integer.parseInt(matcher.group(1)), matcher.group(2), sql, sha256(sql));
        }

        /**
         * The statements of the file: {@code --} comment lines dropped, split at a {@code ;} that
         * ends a line (ClickHouse's HTTP interface takes one statement per request).
         */
        public List<String> statements() {
            List<String> statements = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : sql.split("\\R")) {
                String trimmed = line.strip();
                if (trimmed.startsWith("--")) {
                    continue;
                }
                if (trimmed.endsWith(";")) {
                    current.append(line, 0, line.lastIndexOf(';')).append('\n');
                    addIfNotBlank(statements, current);
                } else {
                    current.append(line).append('\n');
                }
            }
            addIfNotBlank(statements, current);
            return statements;
        }

        private static void addIfNotBlank(List<String> statements, StringBuilder current) {
            String statement = current.toString().strip();
            if (!statement.isEmpty()) {
                statements.add(statement);
            }
            current.setLength(0);
        }

        private static String sha256(String text) {
            try {
                return HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
    }
}
