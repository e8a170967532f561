package io.aicredits.starter;

import io.aicredits.client.MeteringClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code UP} when the metering stream answers a balance query (a user that is never charged: the
 * stream answers without writing anything); details: the client's reply partition and the
 * decisions it waits for.
 */
final class MeteringHealthIndicator extends AbstractHealthIndicator {

    static final String PROBE_USER = "metering-health-probe";

    private final MeteringClient client;
    private final BalanceQueries balances;
    private final Duration timeout;

    MeteringHealthIndicator(MeteringClient client, BalanceQueries balances, Duration timeout) {
        super("Metering stream unavailable");
        this.client = client;
        this.balances = balances;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        builder.withDetail("replyPartition", client.replyPartition())
                .withDetail("pendingDecisions", client.pendingDecisions());
        balances.balance(PROBE_USER).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        builder.up();
    }
}
