package io.aicredits.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metering stream's Micrometer meters: decisions per operation and outcome, expired requests,
 * open and expired holds, usage of another attempt, early releases, dead letters, and per-record
 * processing latency.
 */
public final class MeteringMetrics {

    private final MeterRegistry registry;
    private final Map<String, Long> openHoldsByTask = new ConcurrentHashMap<>();
    private final Counter holdsExpired;
    private final Timer latency;

    public MeteringMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.holdsExpired = Counter.builder("metering.holds.expired")
                .description("Holds released because no usage arrived in time").register(registry);
        this.latency = Timer.builder("metering.processing.latency")
                .description("Time to process one input record").register(registry);
        Gauge.builder("metering.holds.open", openHoldsByTask, m -> m.values().stream().mapToLong(Long::longValue).sum())
                .description("Holds waiting for usage, as of the last scan of each task").register(registry);
    }

    /** Meters kept in memory only, for tests and embedding without a registry. */
    public static MeteringMetrics inMemory() {
        return new MeteringMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void decision(String operation, boolean approved, boolean duplicate) {
        registry.counter("metering.decisions", "operation", operation,
                "outcome", approved ? "approved" : "rejected", "duplicate", Boolean.toString(duplicate)).increment();
    }

    /** A request answered EXPIRED: read after its {@code deadline}, or its attempt already {@code released}. */
    public void expired(String operation, String why) {
        registry.counter("metering.requests.expired", "operation", operation, "why", why).increment();
    }

    /** A usage naming an attempt other than the one that holds its request id: nothing charged. */
    public void usageOfOtherAttempt() {
        registry.counter("metering.usage.other.attempt").increment();
    }

    /** A client's release of an attempt read before the attempt's request: nothing was held. */
    public void releasedBeforeRequest() {
        registry.counter("metering.attempts.released.before.request").increment();
    }

    public void holdExpired() {
        holdsExpired.increment();
    }

    public void openHolds(String taskId, long count) {
        openHoldsByTask.put(taskId, count);
    }

    public void deadLetter(String sourceTopic) {
        registry.counter("metering.dlq", "topic", sourceTopic).increment();
    }

    public void processed(long nanos) {
        latency.record(Duration.ofNanos(nanos));
    }
}
