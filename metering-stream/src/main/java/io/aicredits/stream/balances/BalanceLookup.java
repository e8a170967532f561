package io.aicredits.stream.balances;

import org.apache.kafka.streams.state.HostInfo;

/** Outcome of a balance query on one instance. */
public sealed interface BalanceLookup {

    /** This instance owns the key. */
    record Local(BalanceView view) implements BalanceLookup {
    }

    /** Another instance owns the key: ask it. */
    record Remote(HostInfo owner) implements BalanceLookup {
    }

    /** Nobody can answer now (starting, rebalancing, restoring): retry later. */
    record Unavailable(String reason) implements BalanceLookup {
    }
}
