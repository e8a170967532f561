package io.aicredits.stream.balances;

import org.apache.kafka.streams.state.HostInfo;

/** Outcome of a query about one user (balances, a command's outcome) on one instance. */
public sealed interface BalanceLookup<T> {

    /** This instance owns the key: the answer. */
    record Local<T>(T view) implements BalanceLookup<T> {
    }

    /** Another instance owns the key: ask it. */
    record Remote<T>(HostInfo owner) implements BalanceLookup<T> {
    }

    /** Nobody can answer now (starting, rebalancing, restoring): retry later. */
    record Unavailable<T>(String reason) implements BalanceLookup<T> {
    }
}
