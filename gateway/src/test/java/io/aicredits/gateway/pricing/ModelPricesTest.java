package io.aicredits.gateway.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.GatewayProperties.ModelPrice;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelPricesTest {

    private final ModelPrices prices = new ModelPrices(new GatewayProperties(null, null, null, null, Map.of(),
            Map.of("gpt-4o-mini", new ModelPrice(new BigDecimal("0.00015"), new BigDecimal("0.0006"), null, null,
                            new BigDecimal("0.000075")),
                    "gpt-4", new ModelPrice(new BigDecimal("0.03"), new BigDecimal("0.06"), null, null),
                    "whisper-1", new ModelPrice(null, null, new BigDecimal("0.006"), null),
                    "dall-e-3", new ModelPrice(null, null, null, new BigDecimal("0.04"))),
            null, null));

    @Test
    void shouldPriceInputAndOutputTokensSeparately() {
        // 1 000 input at $0.00015/1K + 2 000 output at $0.0006/1K = $0.00135
        assertThat(prices.costNanos("gpt-4o-mini", 1_000, 2_000, 0, 0)).isEqualTo(1_350_000L);
    }

    @Test
    void shouldPriceCachedInputTokensAtTheCachedRate() {
        // 600 fresh input at $0.00015/1K + 400 cached at $0.000075/1K + 2 000 output at $0.0006/1K = $0.00132
        assertThat(prices.costNanos("gpt-4o-mini", 1_000, 400, 2_000, 0, 0)).isEqualTo(1_320_000L);
        // A model without a cached-input price charges cached tokens as input: 1 000 × $0.03/1K
        assertThat(prices.costNanos("gpt-4", 1_000, 400, 0, 0, 0)).isEqualTo(30_000_000L);
        // More cached than input tokens (a provider's mistake) never prices below zero input
        assertThat(prices.costNanos("gpt-4o-mini", 100, 500, 0, 0, 0)).isEqualTo(7_500L);
    }

    @Test
    void shouldPriceAudioPerMinuteProRataBySecond() {
        // 91 s at $0.006/min = $0.0091
        assertThat(prices.costNanos("whisper-1", 0, 0, 91, 0)).isEqualTo(9_100_000L);
    }

    @Test
    void shouldPriceImagesPerImage() {
        assertThat(prices.costNanos("dall-e-3", 0, 0, 0, 2)).isEqualTo(80_000_000L);
    }

    @Test
    void shouldCostNothingForUnknownModel() {
        assertThat(prices.knows("mystery")).isFalse();
        assertThat(prices.costNanos("mystery", 10, 10, 10, 1)).isZero();
    }

    @Test
    void shouldEstimateACallsCostFromItsTokenEstimateAtTheDearerTokenRate() {
        // 3 000 estimated tokens, all at gpt-4o-mini's output rate $0.0006/1K = $0.0018
        assertThat(prices.estimatedCostNanos("gpt-4o-mini", 3_000L)).isEqualTo(1_800_000L);
        // gpt-4: 1 000 tokens at $0.06/1K
        assertThat(prices.estimatedCostNanos("gpt-4", 1_000L)).isEqualTo(60_000_000L);
        assertThat(prices.estimatedCostNanos("gpt-4", 1_000L))
                .as("never below the actual cost of the same tokens").isGreaterThanOrEqualTo(prices.costNanos("gpt-4", 600, 400, 0, 0));
    }

    @Test
    void shouldEstimateNothingWithoutATokenEstimateOrATokenPrice() {
        assertThat(prices.estimatedCostNanos("gpt-4o-mini", null)).isNull();
        assertThat(prices.estimatedCostNanos("dall-e-3", 1_000L)).isNull();
        assertThat(prices.estimatedCostNanos("mystery", 1_000L)).isNull();
    }

    @Test
    void shouldConvertNanosToDollars() {
        assertThat(ModelPrices.toUsd(126_000L)).isEqualByComparingTo("0.000126");
    }
}
