package io.aicredits.stream.balances;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A user's balances as answered by {@code GET /balances/{userId}} (docs/architecture.md).
 * Instants are ISO-8601 UTC strings.
 */
public record BalanceView(
        @JsonProperty("user_id") String userId,
        @JsonProperty("plan") String plan,
        @JsonProperty("period_id") String periodId,
        @JsonProperty("period_start") String periodStart,
        @JsonProperty("last_reset") String lastReset,
        @JsonProperty("next_reset") String nextReset,
        @JsonProperty("pools") List<PoolView> pools) {

    /** The view of one pool; the pool of a name, or null. */
    public PoolView pool(String name) {
        return pools.stream().filter(p -> p.pool().equals(name)).findFirst().orElse(null);
    }

    public record PoolView(
            @JsonProperty("pool") String pool,
            @JsonProperty("balance") long balance,
            @JsonProperty("limit") long limit,
            @JsonProperty("held") long held,
            @JsonProperty("used") long used,
            @JsonProperty("allowance") long allowance,
            @JsonProperty("top_up") long topUp,
            @JsonProperty("bonus") long bonus) {
    }
}
