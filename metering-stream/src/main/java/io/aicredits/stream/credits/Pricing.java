package io.aicredits.stream.credits;

import io.aicredits.events.OperationPrice;
import io.aicredits.events.UsageEvent;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.EventDecodingException;
import io.aicredits.stream.MeteringSettings;
import io.aicredits.stream.holds.Hold;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operation costs: the price in force (the configured catalog with the overrides of
 * {@code credit.prices}), the credits held at approval and the credits charged at settlement.
 *
 * <p>Fixed prices hold and settle to the price (a reporter's {@code credits_charged} is
 * informational). Token prices hold {@code max(min, ceil(estimated_tokens / tokens_per_credit))}
 * (or {@code max(min, estimated_credits)} without a token estimate, else {@code min}) and settle to
 * {@code ceil((tokens_input + tokens_output) / tokens_per_credit)} at the rate stored on the hold,
 * i.e. the rate in force at approval.
 */
public final class Pricing {

    private static final Logger log = LoggerFactory.getLogger(Pricing.class);

    private final MeteringSettings settings;
    private final ReadOnlyKeyValueStore<String, byte[]> overrides;
    private final AvroSerde<OperationPrice> priceSerde = AvroSerdes.operationPrice();

    /** @param overrides operation type → raw {@code OperationPrice} bytes of {@code credit.prices}; null for none */
    public Pricing(MeteringSettings settings, ReadOnlyKeyValueStore<String, byte[]> overrides) {
        this.settings = settings;
        this.overrides = overrides;
    }

    /** The operation's price: a {@code credit.prices} override if present and readable, else the configured default; null if unknown. */
    public MeteringSettings.Price priceOf(String operation) {
        byte[] override = overrides == null ? null : overrides.get(operation);
        if (override != null) {
            try {
                OperationPrice p = priceSerde.decode(settings.topics().prices(), override);
                return new MeteringSettings.Price(p.getPool(), p.getCredits(), p.getTokensPerCredit(), p.getModel());
            } catch (EventDecodingException | IllegalArgumentException e) {
                // A global store cannot dead-letter: the bad override is logged on every use and the configured price stands.
                log.error("Ignoring an undecodable or invalid price override for {}; using the configured default", operation, e);
            }
        }
        return settings.catalog().get(operation);
    }

    /** Every price in force: the configured catalog with the overrides applied, by operation type. */
    public Map<String, MeteringSettings.Price> catalog() {
        Map<String, MeteringSettings.Price> effective = new LinkedHashMap<>();
        settings.catalog().keySet().forEach(op -> effective.put(op, priceOf(op)));
        if (overrides != null) {
            try (var all = overrides.all()) {
                all.forEachRemaining(kv -> effective.computeIfAbsent(kv.key, this::priceOf));
            }
        }
        effective.values().removeIf(Objects::isNull);
        return effective;
    }

    /** The pool an operation is charged to, or {@code "unknown"} for an unknown operation. */
    public String poolOf(String operation) {
        MeteringSettings.Price price = priceOf(operation);
        return price == null ? "unknown" : price.pool();
    }

    /** Credits to hold to approve a request, or -1 when the request's estimates are negative. */
    public static long holdAmount(MeteringSettings.Price price, Long estimatedTokens, Long estimatedCredits) {
        if (!price.tokenPriced()) {
            return price.credits();
        }
        if (estimatedTokens != null) {
            return estimatedTokens < 0 ? -1 : Math.max(price.credits(), price.creditsForTokens(estimatedTokens));
        }
        if (estimatedCredits != null) {
            return estimatedCredits < 0 ? -1 : Math.max(price.credits(), estimatedCredits);
        }
        return price.credits();
    }

    /** Credits a call actually cost: the held price for a fixed price, the used tokens at the held rate otherwise. */
    public static long settledAmount(Hold hold, UsageEvent usage) {
        if (hold.tokensPerCredit == null) {
            return hold.amount;
        }
        return MeteringSettings.Price.creditsForTokens(usage.getTokensInput() + usage.getTokensOutput(), hold.tokensPerCredit);
    }
}
