package io.aicredits.stream.limits;

/**
 * Keys of runtime settings on {@code ai.settings} (value: text). A per-user key is the global key
 * followed by {@code .user.<user id>} and wins over the global one for that user.
 */
public final class SettingKeys {

    /** Token limit (input + output tokens) per monthly period applied to every user; 0 = none. */
    public static final String USER_TOKENS_PER_PERIOD = "limits.user_tokens_per_period";
    /** Monthly AI budget in USD (decimal text, e.g. {@code 5.00}) applied to every user; 0 = none. */
    public static final String USER_MONTHLY_BUDGET_USD = "budgets.user_monthly_usd";
    /** {@code true}: requests are rejected (BUDGET_EXCEEDED) while the platform budget is exhausted. */
    public static final String PLATFORM_BLOCKS = "budgets.platform_blocks";
    /**
     * The monthly period (e.g. {@code 2025-01}) in which the platform monthly budget was reached;
     * written by the alerts service at 100 %, cleared (null) by a super admin to unblock.
     */
    public static final String PLATFORM_EXHAUSTED_PERIOD = "budgets.platform_exhausted_period";

    private static final String USER_INFIX = ".user.";

    /** The per-user variant of a global key. */
    public static String forUser(String key, String userId) {
        return key + USER_INFIX + userId;
    }

    private SettingKeys() {
    }
}
