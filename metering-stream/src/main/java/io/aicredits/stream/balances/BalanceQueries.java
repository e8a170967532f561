package io.aicredits.stream.balances;

/** Answers balance queries for users whose key this instance owns, or says where to ask. */
public interface BalanceQueries {
    BalanceLookup<BalanceView> lookup(String userId);
}
