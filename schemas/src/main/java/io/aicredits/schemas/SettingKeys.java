package io.aicredits.schemas;

/**
 * Keys of the runtime settings on {@code ai.settings} ({@link Topics#AI_SETTINGS}; the value is
 * text, a null value restores the configured default). The gateway validates and writes them, the
 * metering stream enforces the limits and the user budget, the alerts service watches the budgets.
 * A per-user key is the global key followed by {@code .user.<user id>} ({@link #forUser}) and wins
 * over the global one for that user.
 */
public final class SettingKeys {

    /** Token limit (input + output tokens) per monthly period applied to every user; 0 = none. */
    public static final String USER_TOKENS_PER_PERIOD = "limits.user_tokens_per_period";
    /** Monthly AI budget in USD (decimal text, e.g. {@code 5.00}) applied to every user; 0 = none. */
    public static final String USER_MONTHLY_BUDGET_USD = "budgets.user_monthly_usd";
    /** The platform's monthly AI budget in USD; 0 = none. Alerts at 50/80/100 %. */
    public static final String PLATFORM_MONTHLY_BUDGET_USD = "budgets.platform_monthly_usd";
    /** The platform's daily AI budget in USD; 0 = none. Alerts at 50/80/100 %. */
    public static final String PLATFORM_DAILY_BUDGET_USD = "budgets.platform_daily_usd";
    /** {@code true}: requests are rejected (BUDGET_EXCEEDED) while the platform budget is exhausted. */
    public static final String PLATFORM_BLOCKS = "budgets.platform_blocks";
    /**
     * The monthly period (e.g. {@code 2025-01}) in which the platform monthly budget was reached;
     * written by the alerts service at 100 %, cleared (null) by a super admin to unblock.
     */
    public static final String PLATFORM_EXHAUSTED_PERIOD = "budgets.platform_exhausted_period";
    /** Prefix of {@code models.<operation>}: the model the gateway uses for an operation. */
    public static final String MODELS_PREFIX = "models.";
    /** Prefix of {@code model_prices.<model>.<part>}: a model's USD price laid over the configured one. */
    public static final String MODEL_PRICES_PREFIX = "model_prices.";
    /** {@code true}: users may reset their own credits. */
    public static final String TEST_MODE = "test_mode";
    /** The OpenAI API key the gateway's OpenAI provider uses; a secret, never shown. */
    public static final String OPENAI_API_KEY = "openai.api_key";

    private static final String USER_INFIX = ".user.";

    /** The per-user variant of a global key. */
    public static String forUser(String key, String userId) {
        return key + USER_INFIX + userId;
    }

    private SettingKeys() {
    }
}
