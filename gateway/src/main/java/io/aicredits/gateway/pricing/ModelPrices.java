package io.aicredits.gateway.pricing;

import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.GatewayProperties.ModelPrice;
import io.aicredits.schemas.UsdNanos;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * USD cost of an AI call from the model price table ({@code gateway.prices}, the published OpenAI prices by
 * default), in integer nano-dollars. Input, cached input and output tokens are priced separately; audio per
 * started second at the per-minute rate; images per image. Unknown models cost 0 (and are logged by callers).
 */
@Component
public class ModelPrices {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

    private final Map<String, ModelPrice> prices;

    private final java.util.function.BiFunction<String, ModelPrice, ModelPrice> overrides;
    private final java.util.function.Supplier<java.util.Set<String>> overriddenModels;

    public ModelPrices(GatewayProperties properties) {
        this(properties, (model, configured) -> configured, java.util.Set::of);
    }

    /** With the {@code model_prices.*} runtime settings laid over the configured table. */
    @org.springframework.beans.factory.annotation.Autowired
    public ModelPrices(GatewayProperties properties, io.aicredits.gateway.settings.RuntimeSettings settings) {
        this(properties, settings::price, settings::pricedModels);
    }

    private ModelPrices(GatewayProperties properties, java.util.function.BiFunction<String, ModelPrice, ModelPrice> overrides,
                        java.util.function.Supplier<java.util.Set<String>> overriddenModels) {
        this.prices = properties.prices();
        this.overrides = overrides;
        this.overriddenModels = overriddenModels;
    }

    public boolean knows(String model) {
        return overrides.apply(model, prices.get(model)) != null;
    }

    /** The prices in force for a model (configuration with the runtime settings laid over), if it has any. */
    public java.util.Optional<ModelPrice> price(String model) {
        return java.util.Optional.ofNullable(overrides.apply(model, prices.get(model)));
    }

    /** Every model with a price: the configured table and the models priced by runtime settings, sorted. */
    public java.util.SortedSet<String> models() {
        java.util.SortedSet<String> models = new java.util.TreeSet<>(prices.keySet());
        models.addAll(overriddenModels.get());
        return models;
    }

    /** Cost in nano-USD, rounded half-up once at the end. */
    public long costNanos(String model, long tokensInput, long tokensOutput, long audioSeconds, int images) {
        return costNanos(model, tokensInput, 0, tokensOutput, audioSeconds, images);
    }

    /**
     * The same where {@code tokensCachedInput} of the {@code tokensInput} came from the provider's prompt
     * cache: those are priced at the cached-input rate (the input rate when the model has none).
     */
    public long costNanos(String model, long tokensInput, long tokensCachedInput, long tokensOutput, long audioSeconds, int images) {
        ModelPrice price = overrides.apply(model, prices.get(model));
        if (price == null) {
            return 0;
        }
        long cached = Math.min(Math.max(0, tokensCachedInput), tokensInput);
        BigDecimal usd = BigDecimal.ZERO;
        if (price.inputPer1k() != null) {
            usd = usd.add(price.inputPer1k().multiply(BigDecimal.valueOf(tokensInput - cached)).divide(THOUSAND));
        }
        BigDecimal cachedRate = price.cachedInputPer1k() != null ? price.cachedInputPer1k() : price.inputPer1k();
        if (cachedRate != null) {
            usd = usd.add(cachedRate.multiply(BigDecimal.valueOf(cached)).divide(THOUSAND));
        }
        if (price.outputPer1k() != null) {
            usd = usd.add(price.outputPer1k().multiply(BigDecimal.valueOf(tokensOutput)).divide(THOUSAND));
        }
        if (price.perMinute() != null) {
            usd = usd.add(price.perMinute().multiply(BigDecimal.valueOf(audioSeconds)).divide(SIXTY, 12, RoundingMode.HALF_UP));
        }
        if (price.perImage() != null) {
            usd = usd.add(price.perImage().multiply(BigDecimal.valueOf(images)));
        }
        return UsdNanos.fromUsd(usd);
    }

    /**
     * What a call may cost at most, in nano-USD, from its token estimate (input and output together, as
     * {@code AiRequest.estimated_tokens} counts them): every token priced at the dearer of the model's input
     * and output rates, so the estimate held against the USD budgets is not below the actual cost of the
     * estimated tokens. Null without a token estimate or a token price (the stream then holds nothing).
     */
    public Long estimatedCostNanos(String model, Long estimatedTokens) {
        ModelPrice price = overrides.apply(model, prices.get(model));
        if (estimatedTokens == null || estimatedTokens <= 0 || price == null
                || (price.inputPer1k() == null && price.outputPer1k() == null)) {
            return null;
        }
        boolean outputDearer = price.outputPer1k() != null
                && (price.inputPer1k() == null || price.outputPer1k().compareTo(price.inputPer1k()) > 0);
        return outputDearer ? costNanos(model, 0, estimatedTokens, 0, 0) : costNanos(model, estimatedTokens, 0, 0, 0);
    }

    /** Nano-USD as a dollar amount, e.g. 25200 → 0.0000252. */
    public static BigDecimal toUsd(long nanos) {
        return UsdNanos.toUsd(nanos).stripTrailingZeros();
    }
}
