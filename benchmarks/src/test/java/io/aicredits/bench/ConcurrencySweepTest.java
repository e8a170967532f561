package io.aicredits.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConcurrencySweepTest {

    private static ConcurrencySweep.Level level(int concurrency, double rate) {
        return new ConcurrencySweep.Level(concurrency, rate, 10, 20, 30, 40, 1, 0, 0);
    }

    @Test
    void theKneeIsTheFirstLevelWhoseNextLevelAddsLessThanTenPercent() {
        ConcurrencySweep sweep = new ConcurrencySweep(List.of(level(32, 100), level(64, 180), level(128, 195), level(256, 230)));

        assertThat(sweep.knee().concurrency()).isEqualTo(64);
        assertThat(sweep.best().concurrency()).isEqualTo(256);
        assertThat(sweep.stillRising()).isFalse();
    }

    @Test
    void aRateThatStillRisesAtTheHighestLevelPutsTheKneeThereAndSaysSo() {
        ConcurrencySweep sweep = new ConcurrencySweep(List.of(level(32, 100), level(64, 150), level(128, 200)));

        assertThat(sweep.knee().concurrency()).isEqualTo(128);
        assertThat(sweep.stillRising()).isTrue();
    }

    @Test
    void aFallingRateMakesTheLevelBeforeTheFallTheKneeAndTheBest() {
        ConcurrencySweep sweep = new ConcurrencySweep(List.of(level(32, 300), level(64, 250)));

        assertThat(sweep.knee().concurrency()).isEqualTo(32);
        assertThat(sweep.best().concurrency()).isEqualTo(32);
    }

    @Test
    void readsEveryLevelOfTheLoadClientsResultFile() {
        Properties result = new Properties();
        result.setProperty("levels", "32,64");
        for (String c : List.of("32", "64")) {
            result.setProperty("c" + c + ".requestsPerSecond", c.equals("32") ? "120.5" : "240.0");
            result.setProperty("c" + c + ".p50Ms", "12.5");
            result.setProperty("c" + c + ".p95Ms", "20");
            result.setProperty("c" + c + ".p99Ms", "30");
            result.setProperty("c" + c + ".maxMs", "40");
            result.setProperty("c" + c + ".ok", "1000");
            result.setProperty("c" + c + ".rejected", "2");
            result.setProperty("c" + c + ".failed", "0");
        }

        ConcurrencySweep sweep = ConcurrencySweep.from(result);

        assertThat(sweep.levels()).extracting(ConcurrencySweep.Level::concurrency).containsExactly(32, 64);
        assertThat(sweep.levels().get(0).requestsPerSecond()).isEqualTo(120.5);
        assertThat(sweep.levels().get(1).rejected()).isEqualTo(2);
    }

    @Test
    void aResultFileMissingALevelsFigureIsAnError() {
        Properties result = new Properties();
        result.setProperty("levels", "32");

        assertThatThrownBy(() -> ConcurrencySweep.from(result)).hasMessageContaining("c32.requestsPerSecond");
    }

    @Test
    void levelsMustBePositiveAndAscending() {
        assertThat(GatewayLoadClient.parseLevels("32, 64,128")).containsExactly(32, 64, 128);
        assertThatThrownBy(() -> GatewayLoadClient.parseLevels("64,32")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayLoadClient.parseLevels("0,32")).isInstanceOf(IllegalArgumentException.class);
    }
}
