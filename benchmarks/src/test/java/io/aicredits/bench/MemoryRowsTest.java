package io.aicredits.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryRowsTest {

    @Test
    void shouldSpellRoundUserCountsInThousandsAndMillions() {
        // When user counts are labelled for rows and topic prefixes
        // Then round thousands and millions are short, other counts stay digits
        assertThat(Benchmarks.usersLabel(10_000)).isEqualTo("10k");
        assertThat(Benchmarks.usersLabel(100_000)).isEqualTo("100k");
        assertThat(Benchmarks.usersLabel(1_000_000)).isEqualTo("1M");
        assertThat(Benchmarks.usersLabel(2_500_000)).isEqualTo("2500k");
        assertThat(Benchmarks.usersLabel(1_500)).isEqualTo("1500");
        assertThat(Benchmarks.usersLabel(999)).isEqualTo("999");
    }

    @Test
    void shouldPrefixEveryMemoryRowWithItsUserCount() {
        // When the memory phase names the rows of one user count
        String prefix = Benchmarks.memoryRowPrefix(10_000);

        // Then each row says which count it belongs to
        assertThat(prefix + "decisions/s").isEqualTo("@10k users decisions/s");
        assertThat(Benchmarks.memoryRowPrefix(1_000_000) + "peak heap used").isEqualTo("@1M users peak heap used");
    }

    @Test
    void shouldMeasureMemoryAtEachUserCountOfTheRun() {
        // Given the two plans
        Benchmarks.Plan full = Benchmarks.Plan.fullPlan();
        Benchmarks.Plan quick = Benchmarks.Plan.quickPlan();

        // Then the full run grows to 1M users, the quick run stops at 100k, both with a measured batch
        assertThat(full.memoryUsers()).containsExactly(10_000, 100_000, 1_000_000);
        assertThat(quick.memoryUsers()).containsExactly(10_000, 100_000);
        assertThat(full.memoryRequests()).isEqualTo(100_000);
        assertThat(quick.memoryRequests()).isEqualTo(20_000);
        // and another latency rate list keeps the memory plan
        assertThat(quick.withLatencyRates(java.util.List.of(2_000)).memoryUsers()).isEqualTo(quick.memoryUsers());
    }
}
