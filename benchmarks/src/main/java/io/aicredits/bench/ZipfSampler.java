package io.aicredits.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Samples ranks {@code 0..n-1} with probability proportional to {@code 1 / (rank + 1)^exponent}
 * (Zipf): a few heavy users send most requests, a long tail sends a few each. Uses a
 * precomputed cumulative distribution and binary search; not thread-safe (one per thread).
 */
public final class ZipfSampler {

    private final double[] cdf;
    private final SplittableRandom random;

    public ZipfSampler(int n, double exponent, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1: " + n);
        }
        if (exponent < 0) {
            throw new IllegalArgumentException("exponent must not be negative: " + exponent);
        }
        this.cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, exponent);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        cdf[n - 1] = 1.0;
        this.random = new SplittableRandom(seed);
    }

    /** Probability of {@code rank} (0-based). */
    public double probability(int rank) {
        return rank == 0 ? cdf[0] : cdf[rank] - cdf[rank - 1];
    }

    public int size() {
        return cdf.length;
    }

    /** The next rank, 0-based. */
    public int next() {
        double u = random.nextDouble();
        int index = Arrays.binarySearch(cdf, u);
        int rank = index >= 0 ? index : -index - 1;
        return Math.min(rank, cdf.length - 1);
    }
}
