package io.aicredits.bench;

/**
 * When the i-th request of an open-loop run is due: {@code start + i / rate}, independent of how
 * fast earlier answers came back. Latency is measured from this intended time, so a sender that
 * falls behind (or a stalled pipeline) shows up as latency instead of being hidden (coordinated
 * omission).
 */
public final class OpenLoopSchedule {

    private final long startNanos;
    private final double intervalNanos;
    private final long warmupNanos;
    private final long endNanos;

    /**
     * @param startNanos     {@link System#nanoTime()} of the first send
     * @param ratePerSecond  offered rate
     * @param warmupNanos    requests due before {@code start + warmup} are not measured
     * @param durationNanos  total sending time, warm-up included
     */
    public OpenLoopSchedule(long startNanos, double ratePerSecond, long warmupNanos, long durationNanos) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
        }
        if (warmupNanos < 0 || durationNanos <= warmupNanos) {
            throw new IllegalArgumentException("need 0 <= warmup < duration");
        }
        this.startNanos = startNanos;
        this.intervalNanos = 1e9 / ratePerSecond;
        this.warmupNanos = warmupNanos;
        this.endNanos = startNanos + durationNanos;
    }

    /** Intended send time of request {@code i} (0-based). */
    public long dueAt(long i) {
        return startNanos + Math.round(i * intervalNanos);
    }

    /** Whether request {@code i} is still inside the run. */
    public boolean includes(long i) {
        return dueAt(i) < endNanos;
    }

    /** Whether request {@code i}'s latency counts (it is due after the warm-up). */
    public boolean measured(long i) {
        return dueAt(i) >= startNanos + warmupNanos;
    }

    /** Number of requests in the run. */
    public long count() {
        long n = 0;
        while (includes(n)) {
            n++;
        }
        return n;
    }

    /** Number of requests whose latency counts. */
    public long measuredCount() {
        long n = 0;
        for (long i = 0; includes(i); i++) {
            if (measured(i)) {
                n++;
            }
        }
        return n;
    }
}
