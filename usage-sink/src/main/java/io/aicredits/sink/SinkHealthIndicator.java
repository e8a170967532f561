package io.aicredits.sink;

import io.aicredits.sink.ingest.UsageSink;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code usageSink}: DOWN when the consuming thread has died.
 * A ClickHouse outage is reported as a detail but stays UP: the sink waits it out by itself and a
 * restart would not help.
 */
@Component("usageSinkHealthIndicator")
class SinkHealthIndicator implements HealthIndicator {

    private final UsageSink sink;

    SinkHealthIndicator(UsageSink sink) {
        this.sink = sink;
    }

    @Override
    public Health health() {
        Health.Builder health = sink.failure() != null ? Health.down().withDetail("error", String.valueOf(sink.failure()))
                : Health.up();
        return health.withDetail("clickhouseAvailable", sink.isClickHouseAvailable())
                .withDetail("lag", sink.lag())
                .build();
    }
}
