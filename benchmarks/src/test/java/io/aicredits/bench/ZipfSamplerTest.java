package io.aicredits.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ZipfSamplerTest {

    @Test
    void shouldDrawRanksInProportionToOneOverRank() {
        // Given a Zipf(1.0) sampler over 1,000 ranks
        ZipfSampler sampler = new ZipfSampler(1_000, 1.0, 42);
        double harmonic = 0;
        for (int i = 1; i <= 1_000; i++) {
            harmonic += 1.0 / i;
        }
        int draws = 200_000;
        int[] counts = new int[1_000];

        // When drawing many ranks
        for (int i = 0; i < draws; i++) {
            counts[sampler.next()]++;
        }

        // Then rank 0 gets 1/H(n) of the draws, rank 1 half of that, rank 9 a tenth
        assertThat(sampler.probability(0)).isCloseTo(1 / harmonic, within(1e-9));
        assertThat(counts[0] / (double) draws).isCloseTo(1 / harmonic, within(0.005));
        assertThat(counts[1] / (double) counts[0]).isCloseTo(0.5, within(0.03));
        assertThat(counts[9] / (double) counts[0]).isCloseTo(0.1, within(0.01));
    }

    @Test
    void shouldStayInsideTheRanksAndBeUniformWithExponentZero() {
        // Given exponent 0 (no skew) over 4 ranks
        ZipfSampler sampler = new ZipfSampler(4, 0.0, 7);
        int[] counts = new int[4];

        // When drawing
        for (int i = 0; i < 40_000; i++) {
            counts[sampler.next()]++;
        }

        // Then every rank gets about a quarter
        for (int count : counts) {
            assertThat(count / 40_000.0).isCloseTo(0.25, within(0.02));
        }
    }

    @Test
    void shouldRejectAnEmptyRange() {
        assertThatThrownBy(() -> new ZipfSampler(0, 1.0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
