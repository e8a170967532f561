package io.aicredits.alerts;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code alertsStream}: UP while the alerts stream runs or
 * rebalances, DOWN once it has failed or stopped (a restart is then needed).
 */
@Component("alertsStreamHealthIndicator")
class AlertsHealthIndicator implements HealthIndicator {

    private final AlertsRuntime runtime;

    AlertsHealthIndicator(AlertsRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Health health() {
        KafkaStreams.State state = runtime.streams().state();
        Health.Builder health = state.isRunningOrRebalancing() ? Health.up() : Health.down();
        return health.withDetail("state", state.name()).build();
    }
}
