package io.aicredits.alerts;

import io.aicredits.schemas.UsdNanos;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The alerts stream without Spring: starts {@link KafkaStreams} on {@link AlertsTopology} and waits for RUNNING. */
public final class AlertsRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertsRuntime.class);

    private final KafkaStreams streams;
    private final AlertsSettings settings;
    private final CountDownLatch running = new CountDownLatch(1);

    private AlertsRuntime(Properties config, AlertsSettings settings) {
        this.settings = settings;
        this.streams = new KafkaStreams(AlertsTopology.build(settings), config);
        streams.setStateListener((now, before) -> {
            log.info("Alerts stream state {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Alerts stream thread failed; shutting the client down", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /**
     * @param overrides at least {@code bootstrap.servers}, {@code application.id}, {@code state.dir}
     */
    public static AlertsRuntime start(Properties overrides, AlertsSettings settings, Duration startupTimeout) {
        AlertsRuntime runtime = new AlertsRuntime(AlertsTopology.config(overrides), settings);
        runtime.streams.start();
        try {
            if (!runtime.running.await(startupTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                runtime.close();
                throw new IllegalStateException("alerts stream not RUNNING after " + startupTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runtime.close();
            throw new IllegalStateException("interrupted while starting the alerts stream", e);
        }
        return runtime;
    }

    /** The platform monthly budget in force (ai.settings, else configured), in USD; 0 = none. */
    public java.math.BigDecimal platformMonthlyBudgetUsd() {
        var store = streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(AlertsTopology.SETTINGS_STORE,
                org.apache.kafka.streams.state.QueryableStoreTypes.<String, byte[]>keyValueStore()));
        long nanos = new Budgets(settings, store).platformMonthlyNanos();
        return UsdNanos.toUsd(nanos);
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
