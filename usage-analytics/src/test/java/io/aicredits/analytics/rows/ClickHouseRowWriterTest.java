package io.aicredits.analytics.rows;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.clickhouse.ClickHouseMigrations;
import io.aicredits.analytics.clickhouse.ClickHouseSql;
import io.aicredits.analytics.support.ClickHouseTables;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.infra.ClickHouseServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rows with awkward values go through the mappers and {@link ClickHouseRowWriter}'s TabSeparated
 * inserts into a real ClickHouse (the installed 18.16), and come back equal, column by column.
 */
class ClickHouseRowWriterTest {

    /** Texts a TabSeparated encoder can get wrong. */
    static final List<String> AWKWARD = List.of(
            "tab\there", "line\nfeed", "carriage\rreturn\r\n", "back\\slash", "trailing backslash\\", "\\N",
            "\\t is not a tab", "nul\0byte", "quote ' and \"double\" and `back`", "Привіт, 你好, é, 🎉",
            "{\"json\":\"inside\"}", " leading and trailing spaces ");

    private static ClickHouseServer clickHouse;
    private static Client client;
    private static ClickHouseRowWriter writer;

    @BeforeAll
    static void startClickHouse() {
        clickHouse = ClickHouseServer.start();
        client = ClickHouseTables.client(clickHouse, "roundtrip");
        ClickHouseMigrations.migrate(client);
        writer = new ClickHouseRowWriter(client, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopClickHouse() {
        client.close();
        clickHouse.close();
    }

    @Test
    void shouldReadBackAwkwardUsageTextsEmptyAndNullValuesExactly() {
        // Given usage events whose texts hold tabs, line breaks, backslashes, quotes, \N, unicode and empty values
        UsageRowMapper mapper = new UsageRowMapper();
        List<MappedRow> rows = new ArrayList<>();
        for (int i = 0; i < AWKWARD.size(); i++) {
            String text = AWKWARD.get(i);
            UsageEvent event = usage("use-" + i + "-" + text, Instant.parse("2025-03-10T12:00:00Z").plusSeconds(i))
                    .setUserId("user " + text).setModel(text).setOperationType(text)
                    .setPool(i % 2 == 0 ? "" : text)
                    .setError(i % 3 == 0 ? null : i % 3 == 1 ? "" : text)
                    .setCreditsCharged(i % 2 == 0 ? null : (long) i)
                    .setMetadata(Map.of("text", text, "empty", ""))
                    .build();
            rows.add(mapper.map(event, 5, i));
        }

        // When they are inserted as one batch
        writer.insert(UsageRowMapper.TABLE, 5, rows);

        // Then every column of every row reads back as it was mapped
        assertReadBack(UsageRowMapper.TABLE, rows);
    }

    @Test
    void shouldReadBackTheLimitsOfEveryNumberDecimalAndDateTimeColumn() {
        // Given events at the smallest and largest values the columns take
        UsageRowMapper usage = new UsageRowMapper();
        MappedRow smallest = usage.map(usage("smallest", Instant.EPOCH).setTokensInput(0).setTokensOutput(0)
                .setTokensCachedInput(0).setImages(0).setAudioSeconds(0).setCostUsdNanos(0).setLatencyMs(0)
                .setCreditsCharged(Long.MIN_VALUE).build(), 0, 0);
        MappedRow tiny = usage.map(usage("tiny", Instant.parse("2038-01-19T03:14:08Z")).setCostUsdNanos(1)
                .setCreditsCharged(0L).build(), 0, 1);
        MappedRow largest = usage.map(usage("largest", Instant.parse("2105-12-31T23:59:59.999Z"))
                .setTokensInput(Long.MAX_VALUE).setTokensOutput(Long.MAX_VALUE).setTokensCachedInput(Long.MAX_VALUE)
                .setImages(Integer.MAX_VALUE).setAudioSeconds(Long.MAX_VALUE).setLatencyMs(Long.MAX_VALUE)
                .setCostUsdNanos(999_999_999_999_999_999L).setCreditsCharged(Long.MAX_VALUE).build(),
                Integer.MAX_VALUE, Long.MAX_VALUE);
        LedgerRowMapper ledger = new LedgerRowMapper();
        MappedRow debit = ledger.map(entry("debit", Long.MIN_VALUE, Long.MAX_VALUE, null, ""), 0, 0);
        MappedRow credit = ledger.map(entry("credit", Long.MAX_VALUE, Long.MIN_VALUE, "ai_card\ttab", null), 0, 1);

        // When each is inserted (one month per insert)
        for (MappedRow row : List.of(smallest, tiny, largest)) {
            writer.insert(UsageRowMapper.TABLE, 0, List.of(row));
        }
        writer.insert(LedgerRowMapper.TABLE, 0, List.of(debit, credit));

        // Then they read back equal
        assertReadBack(UsageRowMapper.TABLE, List.of(smallest, tiny, largest));
        assertReadBack(LedgerRowMapper.TABLE, List.of(debit, credit));
        assertThat(ClickHouseSql.select(client, "SELECT toString(created_at) FROM ai_usage_logs WHERE id = 'largest'"))
                .containsExactly(List.of("2105-12-31 23:59:59"));
    }

    /** Each row, selected by its id column, reads back with the values it was mapped to. */
    private static void assertReadBack(String table, List<MappedRow> rows) {
        String idColumn = rows.get(0).columns().get(0);
        for (MappedRow row : rows) {
            List<String> selected = new ArrayList<>();
            for (int i = 0; i < row.columns().size(); i++) {
                // 18.16 prints DateTime 0 as 0000-00-00 00:00:00: compare seconds instead
                selected.add(row.values().get(i) instanceof Instant ? "toUnixTimestamp(" + row.columns().get(i) + ")"
                        : row.columns().get(i));
            }
            String sql = "SELECT " + String.join(", ", selected) + " FROM " + table
                    + " WHERE " + idColumn + " = " + ClickHouseSql.quote((String) row.values().get(0));
            List<List<String>> stored = ClickHouseSql.select(client, sql);
            assertThat(stored).as("rows of %s", row.values().get(0)).hasSize(1);
            assertThat(typed(row, stored.get(0))).as("%s read back", row.values().get(0)).isEqualTo(expected(row));
        }
    }

    private static Map<String, Object> expected(MappedRow row) {
        Map<String, Object> expected = new LinkedHashMap<>();
        for (int i = 0; i < row.columns().size(); i++) {
            Object value = row.values().get(i);
            expected.put(row.columns().get(i), value instanceof Instant instant ? instant.truncatedTo(ChronoUnit.SECONDS) : value);
        }
        return expected;
    }

    /** The stored texts as the Java types the mapper produced, so both sides compare by value. */
    private static Map<String, Object> typed(MappedRow row, List<String> stored) {
        Map<String, Object> typed = new LinkedHashMap<>();
        for (int i = 0; i < row.columns().size(); i++) {
            Object mapped = row.values().get(i);
            String text = stored.get(i);
            Object value;
            if (text == null || mapped instanceof String) {
                value = text;
            } else if (mapped instanceof Long) {
                value = Long.parseLong(text);
            } else if (mapped instanceof BigDecimal decimal) {
                value = new BigDecimal(text).setScale(decimal.scale());
            } else if (mapped instanceof Instant) {
                value = Instant.ofEpochSecond(Long.parseLong(text));
            } else {
                throw new IllegalStateException("unexpected mapped value " + mapped);
            }
            typed.put(row.columns().get(i), value);
        }
        return typed;
    }

    private static UsageEvent.Builder usage(String id, Instant createdAt) {
        return UsageEvent.newBuilder()
                .setId(id).setRequestId("req-" + id).setUserId("karina").setModel("gpt-4o-mini")
                .setOperationType("ai_card").setPool("ai_credits").setStatus(UsageStatus.SUCCEEDED)
                .setTokensInput(120).setTokensOutput(80).setImages(1).setAudioSeconds(2)
                .setCostUsdNanos(123_456L).setCreditsCharged(2L).setError(null).setLatencyMs(350)
                .setCreatedAt(createdAt).setMetadata(Map.of());
    }

    private static LedgerEntry entry(String id, long delta, long balanceAfter, String operationType, String note) {
        return LedgerEntry.newBuilder()
                .setEntryId(id).setUserId("anna").setPool("ai_credits").setKind(LedgerKind.ADJUSTMENT)
                .setDelta(delta).setBalanceAfter(balanceAfter).setCauseId("cause-" + id)
                .setOperationType(operationType).setNote(note)
                .setCreatedAt(Instant.parse("2025-02-28T23:59:59Z")).build();
    }
}
