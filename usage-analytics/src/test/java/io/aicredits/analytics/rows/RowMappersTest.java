package io.aicredits.analytics.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowMappersTest {

    static UsageEvent.Builder usage() {
        return UsageEvent.newBuilder()
                .setId("use-1").setRequestId("req-1").setUserId("karina").setModel("gpt-4o-mini")
                .setOperationType("ai_card").setPool(null).setStatus(UsageStatus.SUCCEEDED)
                .setTokensInput(120).setTokensOutput(80).setImages(0).setAudioSeconds(0)
                .setCostUsdNanos(123_456L).setCreditsCharged(2L).setError(null).setLatencyMs(350)
                .setCreatedAt(Instant.parse("2025-01-31T23:59:59.750Z"))
                .setMetadata(Map.of("lang", "ru", "note", "say \"hi\""));
    }

    @Test
    void shouldMapUsageEventToSeedColumnsWithExactDecimalCostAndUtcTime() {
        // Given
        UsageEvent event = usage().build();

        // When
        MappedRow row = new UsageRowMapper().map(event, 3, 42L);

        // Then
        assertThat(row.offset()).isEqualTo(42L);
        assertThat(row.month()).isEqualTo(202501);
        assertThat(row.json()).isEqualTo("{\"id\":\"use-1\",\"request_id\":\"req-1\",\"user_id\":\"karina\","
                + "\"model\":\"gpt-4o-mini\",\"operation_type\":\"ai_card\",\"pool\":\"\",\"status\":\"SUCCEEDED\","
                + "\"tokens_input\":120,\"tokens_output\":80,\"tokens_cached_input\":0,\"images\":0,\"audio_seconds\":0,"
                + "\"cost_usd\":0.000123456,\"credits_charged\":2,\"latency_ms\":350,\"error\":null,"
                + "\"created_at\":\"2025-01-31 23:59:59\","
                + "\"metadata\":\"{\\\"lang\\\":\\\"ru\\\",\\\"note\\\":\\\"say \\\\\\\"hi\\\\\\\"\\\"}\","
                + "\"kafka_partition\":3,\"kafka_offset\":42}");
    }

    @Test
    void shouldWriteLargeCostsAsPlainDecimalsNotScientificNotation() {
        MappedRow row = new UsageRowMapper().map(usage().setCostUsdNanos(999_999_999_999_999_999L).build(), 0, 0);

        assertThat(row.json()).contains("\"cost_usd\":999999999.999999999,");
    }

    @Test
    void shouldRejectValuesTheColumnsCannotHold() {
        UsageRowMapper mapper = new UsageRowMapper();

        assertThatThrownBy(() -> mapper.map(usage().setTokensInput(-1).build(), 0, 0))
                .isInstanceOf(UnmappableEventException.class).hasMessageContaining("tokens_input");
        assertThatThrownBy(() -> mapper.map(usage().setCostUsdNanos(-5).build(), 0, 0))
                .isInstanceOf(UnmappableEventException.class).hasMessageContaining("cost_usd_nanos");
        assertThatThrownBy(() -> mapper.map(usage().setUserId(" ").build(), 0, 0))
                .isInstanceOf(UnmappableEventException.class).hasMessageContaining("user_id");
        assertThatThrownBy(() -> mapper.map(usage().setCreatedAt(Instant.parse("1969-12-31T00:00:00Z")).build(), 0, 0))
                .isInstanceOf(UnmappableEventException.class).hasMessageContaining("created_at");
    }

    @Test
    void shouldMapLedgerEntryWithNullableColumns() {
        LedgerEntry entry = LedgerEntry.newBuilder()
                .setEntryId("e-1").setUserId("anna").setPool("ai_credits").setKind(LedgerKind.HOLD_SETTLED)
                .setDelta(-3).setBalanceAfter(97).setCauseId("req-9").setOperationType(null).setNote("n")
                .setCreatedAt(Instant.parse("2025-02-01T00:00:00Z")).build();

        MappedRow row = new LedgerRowMapper().map(entry, 1, 7L);

        assertThat(row.month()).isEqualTo(202502);
        assertThat(row.json()).isEqualTo("{\"entry_id\":\"e-1\",\"user_id\":\"anna\",\"pool\":\"ai_credits\","
                + "\"kind\":\"HOLD_SETTLED\",\"delta\":-3,\"balance_after\":97,\"cause_id\":\"req-9\","
                + "\"operation_type\":null,\"note\":\"n\",\"created_at\":\"2025-02-01 00:00:00\","
                + "\"kafka_partition\":1,\"kafka_offset\":7}");
    }
}
