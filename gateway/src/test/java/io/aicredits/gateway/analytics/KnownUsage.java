package io.aicredits.gateway.analytics;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.rows.ClickHouseRowWriter;
import io.aicredits.analytics.rows.UsageRowMapper;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The known usage data set of the analytics tests, written to ClickHouse through the usage-sink's
 * own mapper and writer (the materialized view fills {@code usage_daily}). January 2025: karina 3
 * calls on 2 days, {@value #PAT} (a user id that needs CSV quoting) 2 calls on one day, alexey one
 * Whisper call in the last second of the month; plus one row on each side of January and one "now".
 */
public final class KnownUsage {

    public static final String PAT = "pat \"the cat\", jr";

    private KnownUsage() {
    }

    public static List<UsageEvent> events() {
        return List.of(
                event("k1", "karina", "gpt-4o-mini", "ai_card", 100, 50, 90_000, "2025-01-06T09:00:00Z"),
                event("k2", "karina", "gpt-4o-mini", "ai_card", 200, 100, 180_000, "2025-01-06T18:30:00Z"),
                event("k3", "karina", "gpt-4o", "ai_summary", 1000, 2000, 15_000_000, "2025-01-15T12:00:00Z"),
                event("p1", PAT, "gpt-4o", "ai_card", 100, 100, 1_000_000, "2025-01-20T10:00:00Z"),
                event("p2", PAT, "gpt-4o-mini", "emotion_analysis", 50, 50, 60_000, "2025-01-20T11:00:00Z"),
                event("x1", "alexey", "whisper-1", "voice_to_text", 0, 0, 6_000_000, "2025-01-31T23:59:59Z"),
                // Just outside January on both sides.
                event("out1", "karina", "gpt-4o-mini", "ai_card", 1, 1, 500_000_000, "2025-02-01T00:00:00Z"),
                event("out2", "anna", "gpt-4o", "ai_summary", 1, 1, 700_000_000, "2024-12-31T23:59:59Z"),
                // In the current day, week and month.
                event("now1", "today-user", "gpt-4o-mini", "ai_card", 10, 10, 12_000, Instant.now().toString()));
    }

    /** Writes the events one insert each, as the sink would after separate batches. */
    public static void insert(Client client, List<UsageEvent> events) {
        ClickHouseRowWriter writer = new ClickHouseRowWriter(client, Duration.ofSeconds(30));
        UsageRowMapper mapper = new UsageRowMapper();
        for (int i = 0; i < events.size(); i++) {
            writer.insert(UsageRowMapper.TABLE, 0, List.of(mapper.map(events.get(i), 0, i)));
        }
    }

    static UsageEvent event(String id, String user, String model, String operation, long tokensIn,
                            long tokensOut, long costNanos, String createdAt) {
        return UsageEvent.newBuilder()
                .setId(id).setRequestId("req-" + id).setUserId(user).setModel(model).setOperationType(operation)
                .setPool("ai_credits").setStatus(UsageStatus.SUCCEEDED)
                .setTokensInput(tokensIn).setTokensOutput(tokensOut).setImages(0).setAudioSeconds(0)
                .setCostUsdNanos(costNanos).setCreditsCharged(1L).setError(null).setLatencyMs(100)
                .setCreatedAt(Instant.parse(createdAt)).setMetadata(Map.of())
                .build();
    }
}
