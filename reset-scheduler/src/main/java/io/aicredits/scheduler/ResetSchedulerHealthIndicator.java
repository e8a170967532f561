package io.aicredits.scheduler;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health} component {@code resetScheduler}: DOWN while the last attempt to open
 * due periods failed (it is being retried), UP with the open period and the next fire time otherwise.
 */
class ResetSchedulerHealthIndicator implements HealthIndicator {

    private final MonthlyResetService service;

    ResetSchedulerHealthIndicator(MonthlyResetService service) {
        this.service = service;
    }

    @Override
    public Health health() {
        MonthlyResetService.Status status = service.status();
        Health.Builder health = status.lastFailure() == null ? Health.up() : Health.down();
        if (status.lastFailure() != null) {
            health.withDetail("lastFailure", status.lastFailure());
        }
        if (status.openPeriod() != null) {
            health.withDetail("openPeriod", status.openPeriod());
        }
        if (status.lastAttemptAt() != null) {
            health.withDetail("lastAttemptAt", status.lastAttemptAt().toString());
        }
        if (status.lastSuccessAt() != null) {
            health.withDetail("lastSuccessAt", status.lastSuccessAt().toString());
        }
        if (status.nextFireAt() != null) {
            health.withDetail("nextFireAt", status.nextFireAt().toString());
        }
        return health.build();
    }
}
