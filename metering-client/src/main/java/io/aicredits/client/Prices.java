package io.aicredits.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prices the metering stream charges now, as it answers {@code GET /prices}
 * (docs/architecture.md, "Price queries"): its catalog with the {@code credit.prices} overrides
 * applied, by operation type. The one reader-side shape of that JSON.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Prices(@JsonProperty("prices") Map<String, Price> prices) {

    public Prices {
        prices = prices == null ? Map.of() : new LinkedHashMap<>(prices);
    }

    /** The operations charged to {@code pool} and their credits (for a token-priced one, its minimum), in the stream's order. */
    public Map<String, Long> creditsIn(String pool) {
        Map<String, Long> credits = new LinkedHashMap<>();
        prices.forEach((operation, price) -> {
            if (price.pool().equals(pool)) {
                credits.put(operation, price.credits());
            }
        });
        return credits;
    }

    /** The credits of an operation (for a token-priced one, its minimum); 0 when the stream does not price it. */
    public long credits(String operation) {
        Price price = prices.get(operation);
        return price == null ? 0 : price.credits();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Price(
            @JsonProperty("pool") String pool,
            @JsonProperty("credits") long credits,
            @JsonProperty("tokens_per_credit") Long tokensPerCredit,
            @JsonProperty("model") String model) {
    }
}
