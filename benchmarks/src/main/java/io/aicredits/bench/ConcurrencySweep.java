package io.aicredits.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/**
 * What {@link GatewayLoadClient} measured at each concurrency level, and where throughput stops
 * rising: the knee is the first level after which doubling-or-so the connections adds less than
 * {@link #RISE} to the request rate.
 *
 * @param levels the measured levels, lowest concurrency first
 */
record ConcurrencySweep(List<Level> levels) {

    /** A level whose next level is less than 10 % faster is the knee. */
    static final double RISE = 1.10;

    /** One concurrency level's figures. */
    record Level(int concurrency, double requestsPerSecond, double p50Ms, double p95Ms, double p99Ms, double maxMs,
                 long ok, long rejected, long failed) {
    }

    ConcurrencySweep {
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("no concurrency level was measured");
        }
        levels = List.copyOf(levels);
    }

    /** Reads the load client's result file. */
    static ConcurrencySweep from(Properties result) {
        List<Level> levels = new ArrayList<>();
        for (int concurrency : GatewayLoadClient.parseLevels(result.getProperty("levels"))) {
            String k = "c" + concurrency + ".";
            levels.add(new Level(concurrency, number(result, k + "requestsPerSecond"), number(result, k + "p50Ms"),
                    number(result, k + "p95Ms"), number(result, k + "p99Ms"), number(result, k + "maxMs"),
                    (long) number(result, k + "ok"), (long) number(result, k + "rejected"), (long) number(result, k + "failed")));
        }
        return new ConcurrencySweep(levels);
    }

    /** The highest request rate of any level. */
    Level best() {
        return levels.stream().max(Comparator.comparingDouble(Level::requestsPerSecond)).orElseThrow();
    }

    /** The first level whose next level is less than {@link #RISE} times faster; the last level when it still rose. */
    Level knee() {
        for (int i = 0; i + 1 < levels.size(); i++) {
            if (levels.get(i + 1).requestsPerSecond() < levels.get(i).requestsPerSecond() * RISE) {
                return levels.get(i);
            }
        }
        return levels.get(levels.size() - 1);
    }

    /** Whether the rate still rose by {@link #RISE} at the highest level (the knee lies beyond it). */
    boolean stillRising() {
        return knee() == levels.get(levels.size() - 1) && levels.size() > 1;
    }

    private static double number(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("load client result lacks " + key);
        }
        return Double.parseDouble(value);
    }
}
