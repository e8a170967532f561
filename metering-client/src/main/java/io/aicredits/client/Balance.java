package io.aicredits.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A user's credits as the metering stream answers {@code GET /balances/{userId}}
 * (docs/architecture.md, "Balance queries"): one entry per pool, in name order. The one reader-side
 * shape of that JSON, for the gateway and the Spring Boot starter.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Balance(
        @JsonProperty("user_id") String userId,
        @JsonProperty("plan") String plan,
        @JsonProperty("period_id") String periodId,
        @JsonProperty("period_start") String periodStart,
        @JsonProperty("last_reset") String lastReset,
        @JsonProperty("next_reset") String nextReset,
        @JsonProperty("pools") List<Pool> pools) {

    public Balance {
        pools = pools == null ? List.of() : List.copyOf(pools);
    }

    /** The named pool; a pool the user never touched shows as empty. */
    public Pool pool(String name) {
        return pools.stream().filter(pool -> pool.pool().equals(name)).findFirst()
                .orElse(new Pool(name, 0, 0, 0, 0, 0, 0, 0));
    }

    /** Spendable credits of a pool (holds already taken out); 0 for a pool the user does not have. */
    public long balance(String pool) {
        return pool(pool).balance();
    }

    /**
     * One pool: {@code balance = allowance + topUp + bonus} is spendable now; {@code held} is on open
     * holds, {@code used} what was charged this period, {@code limit} the period's allowance.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
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
