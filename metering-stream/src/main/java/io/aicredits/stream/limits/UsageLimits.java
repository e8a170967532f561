package io.aicredits.stream.limits;

import io.aicredits.events.DecisionReason;
import io.aicredits.events.SettingChanged;
import io.aicredits.events.UsageEvent;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.EventDecodingException;
import io.aicredits.schemas.SettingKeys;
import io.aicredits.schemas.UsdNanos;
import io.aicredits.stream.credits.Account;
import io.aicredits.stream.holds.Hold;
import java.math.BigDecimal;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-user token limit and monthly USD budget, checked at decision time.
 *
 * <p>Counted per user and monthly period on the {@link Account}: settled usage
 * ({@code tokens_input + tokens_output}, {@code cost_usd_nanos}) plus what the user's open holds
 * may still use ({@code estimated_tokens}, {@code estimated_cost_usd_nanos}), so calls in flight
 * cannot together overshoot a limit or budget. An estimate counts from approval until its hold
 * settles, is released or expires; settled usage then counts at its actual cost. The limit in force is the per-user setting
 * ({@code <key>.user.<id>}) if any, else the global setting, else the configured default — all read
 * from the global settings store fed by {@code ai.settings}, so a change applies to the next request.
 */
public final class UsageLimits {

    private static final Logger log = LoggerFactory.getLogger(UsageLimits.class);

    private final LimitDefaults defaults;
    private final AvroSerde<SettingChanged> serde = AvroSerdes.settingChanged();
    private KeyValueStore<String, byte[]> settings;

    public UsageLimits(LimitDefaults defaults) {
        this.defaults = defaults;
    }

    public void init(KeyValueStore<String, byte[]> settingsStore) {
        this.settings = settingsStore;
    }

    /** Why a request must be rejected. */
    public record Breach(DecisionReason reason, String message) {
    }

    /**
     * @param tokenConsuming   the operation is token-priced or the request carries a token estimate
     * @param estimatedTokens  the request's token estimate (0 when none)
     * @param estimatedCostNanos the request's USD cost estimate in nano-dollars (0 when none)
     * @param resetDate        the next reset as users are shown it, M/D/YYYY (docs/requirements.md)
     * @return the breach, or null when the request is within the user's limits
     */
    public Breach check(Account account, boolean tokenConsuming, long estimatedTokens, long estimatedCostNanos,
                        String resetDate) {
        if ("true".equals(setting(SettingKeys.PLATFORM_BLOCKS)) && account.periodId != null
                && account.periodId.equals(setting(SettingKeys.PLATFORM_EXHAUSTED_PERIOD))) {
            return new Breach(DecisionReason.BUDGET_EXCEEDED, "The platform's monthly AI budget is reached. AI requests are"
                    + " paused until " + resetDate + ".");
        }
        long tokenLimit = tokenLimit(account.userId);
        if (tokenConsuming && tokenLimit > 0) {
            long used = account.tokensUsed + account.tokensHeld;
            if (used >= tokenLimit) {
                return new Breach(DecisionReason.TOKEN_LIMIT_EXCEEDED, "AI token limit reached. You have used " + used + " of "
                        + tokenLimit + " tokens this period. Limits reset on " + resetDate + ".");
            }
            if (used + estimatedTokens > tokenLimit) {
                return new Breach(DecisionReason.TOKEN_LIMIT_EXCEEDED, "AI token limit would be exceeded. You have used " + used
                        + " of " + tokenLimit + " tokens this period; this request needs up to " + estimatedTokens
                        + ". Limits reset on " + resetDate + ".");
            }
        }
        return checkBudget(account, estimatedCostNanos, resetDate);
    }

    /** The monthly USD budget against settled cost plus the open holds' estimates, and this request's estimate. */
    private Breach checkBudget(Account account, long estimatedCostNanos, String resetDate) {
        long budgetNanos = budgetNanos(account.userId);
        if (budgetNanos <= 0) {
            return null;
        }
        long committed = account.costNanos + account.costHeldNanos;
        String spent = "You have spent " + UsdNanos.format(account.costNanos)
                + (account.costHeldNanos > 0 ? " and " + UsdNanos.format(account.costHeldNanos) + " is held for calls in progress," : "")
                + " of your " + UsdNanos.format(budgetNanos) + " monthly AI budget";
        if (committed >= budgetNanos) {
            return new Breach(DecisionReason.BUDGET_EXCEEDED, "AI budget reached. " + spent + ". Limits reset on " + resetDate + ".");
        }
        if (committed + estimatedCostNanos > budgetNanos) {
            return new Breach(DecisionReason.BUDGET_EXCEEDED, "AI budget would be exceeded. " + spent + "; this request may cost up to "
                    + UsdNanos.format(estimatedCostNanos) + ". Limits reset on " + resetDate + ".");
        }
        return null;
    }

    /** Token limit per period in force for the user; 0 = none. */
    public long tokenLimit(String userId) {
        String value = setting(SettingKeys.forUser(SettingKeys.USER_TOKENS_PER_PERIOD, userId));
        if (value == null) {
            value = setting(SettingKeys.USER_TOKENS_PER_PERIOD);
        }
        if (value != null) {
            try {
                return Math.max(0, Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                log.error("Ignoring token limit '{}' for user {} (not a whole number); using the configured default", value, userId, e);
            }
        }
        return defaults.userTokensPerPeriod();
    }

    /** Monthly USD budget in force for the user, in nano-dollars; 0 = none. */
    public long budgetNanos(String userId) {
        String value = setting(SettingKeys.forUser(SettingKeys.USER_MONTHLY_BUDGET_USD, userId));
        if (value == null) {
            value = setting(SettingKeys.USER_MONTHLY_BUDGET_USD);
        }
        if (value != null) {
            try {
                return Math.max(0, toNanos(new BigDecimal(value.trim())));
            } catch (NumberFormatException | ArithmeticException e) {
                log.error("Ignoring USD budget '{}' for user {} (not a decimal amount); using the configured default", value, userId, e);
            }
        }
        return toNanos(defaults.userMonthlyBudgetUsd());
    }

    // ---------------------------------------------------------------- counters

    /** An approved request: its token and USD estimates count as outstanding until its usage or expiry. */
    public static void holdPlaced(Account account, Hold hold, long estimatedTokens, long estimatedCostNanos) {
        hold.estimatedTokens = Math.max(0, estimatedTokens);
        account.tokensHeld += hold.estimatedTokens;
        hold.costHeldNanos = Math.max(0, estimatedCostNanos);
        account.costHeldNanos += hold.costHeldNanos;
    }

    /** A hold closed (settled, released or expired): its estimates no longer count. */
    public static void holdClosed(Account account, Hold hold) {
        account.tokensHeld = Math.max(0, account.tokensHeld - hold.estimatedTokens);
        account.costHeldNanos = Math.max(0, account.costHeldNanos - hold.costHeldNanos);
    }

    /** Usage of a call that happened (first usage for its hold): counts in the current period. */
    public static void used(Account account, UsageEvent usage) {
        account.tokensUsed += Math.max(0, usage.getTokensInput()) + Math.max(0, usage.getTokensOutput());
        account.costNanos += Math.max(0, usage.getCostUsdNanos());
    }

    // ---------------------------------------------------------------- helpers

    private String setting(String key) {
        if (settings == null) {
            return null;
        }
        byte[] raw = settings.get(key);
        if (raw == null) {
            return null;
        }
        try {
            SettingChanged change = serde.decode(defaults.settingsTopic(), raw);
            return change.getValue();
        } catch (EventDecodingException e) {
            log.error("Ignoring undecodable setting {}; using the configured default", key, e);
            return null;
        }
    }

    static long toNanos(BigDecimal usd) {
        return UsdNanos.fromUsd(usd);
    }
}
