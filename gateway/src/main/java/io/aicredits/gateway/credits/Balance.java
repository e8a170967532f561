package io.aicredits.gateway.credits;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A user's balances as the metering stream answers {@code GET /balances/{userId}} (docs/architecture.md). */
public record Balance(
        @JsonProperty("user_id") String userId,
        @JsonProperty("plan") String plan,
        @JsonProperty("period_id") String periodId,
        @JsonProperty("period_start") String periodStart,
        @JsonProperty("last_reset") String lastReset,
        @JsonProperty("next_reset") String nextReset,
        @JsonProperty("last_command_id") String lastCommandId,
        @JsonProperty("pools") List<Pool> pools) {

    public Balance {
        pools = pools == null ? List.of() : List.copyOf(pools);
    }

    /** The named pool; a pool the user never touched shows as empty. */
    public Pool pool(String name) {
        return pools.stream().filter(pool -> pool.pool().equals(name)).findFirst()
                .orElse(new Pool(name, 0, 0, 0, 0, 0, 0, 0));
    }

    public record Pool(
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
