package io.aicredits.starter;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A user's credits as the metering stream answers {@code GET /balances/{userId}}
 * (docs/architecture.md, "Balance queries"): one entry per pool.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditBalance(
        @JsonProperty("user_id") String userId,
        @JsonProperty("plan") String plan,
        @JsonProperty("period_id") String periodId,
        @JsonProperty("last_reset") String lastReset,
        @JsonProperty("next_reset") String nextReset,
        @JsonProperty("last_command_id") String lastCommandId,
        @JsonProperty("pools") List<Pool> pools) {

    public CreditBalance {
        pools = pools == null ? List.of() : List.copyOf(pools);
    }

    /** Spendable credits of a pool (holds already taken out); 0 for a pool the user does not have. */
    public long balance(String pool) {
        return pool(pool).balance();
    }

    /** The named pool; a pool the user does not have shows as empty. */
    public Pool pool(String name) {
        return pools.stream().filter(p -> p.pool().equals(name)).findFirst()
                .orElse(new Pool(name, 0, 0, 0, 0, 0, 0, 0));
    }

    /**
     * One pool: {@code balance = allowance + topUp + bonus}; {@code held} is on open holds,
     * {@code used} what was charged this period.
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
