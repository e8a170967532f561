package io.aicredits.analytics.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import java.math.BigDecimal;
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
    void shouldMapUsageEventToSeedColumnsWithExactDecimalCost() {
        // Given
        UsageEvent event = usage().build();

        // When
        MappedRow row = new UsageRowMapper().map(event, 3, 42L);

        // Then
        assertThat(row.offset()).isEqualTo(42L);
        assertThat(row.month()).isEqualTo(202501);
        assertThat(row.columns()).containsExactly("id", "request_id", "user_id", "model", "operation_type", "pool",
                "status", "tokens_input", "tokens_output", "tokens_cached_input", "images", "audio_seconds", "cost_usd",
                "credits_charged", "latency_ms", "error", "created_at", "metadata", "kafka_partition", "kafka_offset");
        assertThat(row.values()).containsExactly("use-1", "req-1", "karina", "gpt-4o-mini", "ai_card", "", "SUCCEEDED",
                120L, 80L, 0L, 0L, 0L, new BigDecimal("0.000123456"), 2L, 350L, null,
                Instant.parse("2025-01-31T23:59:59.750Z"), "{\"lang\":\"ru\",\"note\":\"say \\\"hi\\\"\"}", 3L, 42L);
    }

    @Test
    void shouldShareOneColumnListAmongAllRowsOfAMapper() {
        UsageRowMapper mapper = new UsageRowMapper();

        MappedRow first = mapper.map(usage().build(), 0, 1);
        MappedRow second = mapper.map(usage().setId("use-2").build(), 0, 2);

        assertThat(second.columns()).isSameAs(first.columns());
        assertThat(second.value("id")).isEqualTo("use-2");
    }

    @Test
    void shouldKeepCostsExactToTheNanoDollar() {
        UsageRowMapper mapper = new UsageRowMapper();

        assertThat(mapper.map(usage().setCostUsdNanos(999_999_999_999_999_999L).build(), 0, 0).value("cost_usd"))
                .isEqualTo(new BigDecimal("999999999.999999999"));
        assertThat(mapper.map(usage().setCostUsdNanos(1L).build(), 0, 0).value("cost_usd"))
                .isEqualTo(new BigDecimal("0.000000001"));
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
        // 18.16 would store a time in 2106 as one in 1970, without an error
        assertThatThrownBy(() -> mapper.map(usage().setCreatedAt(Instant.parse("2106-01-01T00:00:00Z")).build(), 0, 0))
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
        assertThat(row.columns()).containsExactly("entry_id", "user_id", "pool", "kind", "delta", "balance_after",
                "cause_id", "operation_type", "note", "created_at", "kafka_partition", "kafka_offset");
        assertThat(row.values()).containsExactly("e-1", "anna", "ai_credits", "HOLD_SETTLED", -3L, 97L, "req-9", null, "n",
                Instant.parse("2025-02-01T00:00:00Z"), 1L, 7L);
    }
}
