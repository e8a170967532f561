package io.aicredits.stream.balances;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The prices in force, as answered by {@code GET /prices}: the configured catalog with the
 * {@code credit.prices} overrides applied, by operation type (docs/architecture.md).
 */
public record PriceList(@JsonProperty("prices") Map<String, PriceView> prices) {

    /**
     * @param credits         fixed price; for a token-priced operation the minimum hold
     * @param tokensPerCredit set for a token-priced operation: credits = ceil(tokens / tokens_per_credit)
     */
    public record PriceView(
            @JsonProperty("pool") String pool,
            @JsonProperty("credits") long credits,
            @JsonProperty("tokens_per_credit") Long tokensPerCredit,
            @JsonProperty("model") String model) {
    }
}
