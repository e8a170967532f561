package io.aicredits.gateway.settings;

import io.aicredits.gateway.web.ApiException;
import io.aicredits.schemas.SettingKeys;
import java.math.BigDecimal;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings a super admin may change at runtime ({@link SettingKeys}) and how their values are checked.
 * Values travel as text on {@code ai.settings}; a null value restores the configured default.
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><td>{@code limits.user_tokens_per_period[.user.<id>]}</td><td>whole number ≥ 0 (0 = no limit); enforced by the metering stream</td></tr>
 *   <tr><td>{@code budgets.user_monthly_usd[.user.<id>]}</td><td>USD ≥ 0 (0 = none); enforced by the metering stream</td></tr>
 *   <tr><td>{@code budgets.platform_monthly_usd}, {@code budgets.platform_daily_usd}</td><td>USD ≥ 0 (0 = none); alerts at 50/80/100 %</td></tr>
 *   <tr><td>{@code budgets.platform_blocks}</td><td>true/false: reject requests while the platform monthly budget is exhausted</td></tr>
 *   <tr><td>{@code budgets.platform_exhausted_period}</td><td>YYYY-MM, written by the alerts service at 100 %; null unblocks</td></tr>
 *   <tr><td>{@code models.<operation>}</td><td>model name with a known price; used by the gateway for the next call</td></tr>
 *   <tr><td>{@code model_prices.<model>.<input_per_1k|cached_input_per_1k|output_per_1k|per_minute|per_image>}</td><td>USD ≥ 0; cost of the next call</td></tr>
 *   <tr><td>{@code test_mode}</td><td>true/false; users may reset their own credits</td></tr>
 *   <tr><td>{@code openai.api_key}</td><td>secret: the OpenAI API key the OpenAI provider uses from then on; never shown, only masked</td></tr>
 * </table>
 */
final class SettingsCatalog {

    /** Settings whose values are never shown: views, audit and logs carry {@link #mask} instead. */
    static final Set<String> SECRETS = Set.of(SettingKeys.OPENAI_API_KEY);
    static final Set<String> PRICE_PARTS = Set.of("input_per_1k", "cached_input_per_1k", "output_per_1k", "per_minute", "per_image");

    private static final Pattern API_KEY = Pattern.compile("[A-Za-z0-9_\\-]{20,256}");
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private SettingsCatalog() {
    }

    /**
     * Checks a key and its new value and returns the value in canonical text form (null stays
     * null: back to the default).
     *
     * @throws ApiException 400 for an unknown key or a bad value
     */
    static String validate(String key, Object value, Set<String> operations) {
        if (key == null || key.isBlank()) {
            throw ApiException.badRequest("Setting key must not be empty");
        }
        if (key.equals(SettingKeys.USER_TOKENS_PER_PERIOD) || isUserKey(key, SettingKeys.USER_TOKENS_PER_PERIOD)) {
            return value == null ? null : wholeNumber(key, value);
        }
        if (key.equals(SettingKeys.USER_MONTHLY_BUDGET_USD) || isUserKey(key, SettingKeys.USER_MONTHLY_BUDGET_USD)) {
            return value == null ? null : usd(key, value);
        }
        if (key.equals(SettingKeys.PLATFORM_MONTHLY_BUDGET_USD) || key.equals(SettingKeys.PLATFORM_DAILY_BUDGET_USD)) {
            return value == null ? null : usd(key, value);
        }
        if (key.equals(SettingKeys.PLATFORM_EXHAUSTED_PERIOD)) {
            if (value == null) {
                return null;
            }
            String period = String.valueOf(value).trim();
            if (!period.matches("\\d{4}-\\d{2}")) {
                throw ApiException.badRequest("Setting " + key + " must be a month such as 2025-01 (or null to unblock), was '"
                        + value + "'");
            }
            return period;
        }
        if (key.equals(SettingKeys.TEST_MODE) || key.equals(SettingKeys.PLATFORM_BLOCKS)) {
            if (value == null) {
                return null;
            }
            String text = String.valueOf(value).trim();
            if (!text.equals("true") && !text.equals("false")) {
                throw ApiException.badRequest("Setting " + key + " must be true or false, was '" + value + "'");
            }
            return text;
        }
        if (key.equals(SettingKeys.OPENAI_API_KEY)) {
            if (value == null) {
                return null;
            }
            String apiKey = String.valueOf(value).trim();
            if (!API_KEY.matcher(apiKey).matches()) {
                // The rejected value is not echoed: it may be a real key pasted with a typo.
                throw ApiException.badRequest("Setting " + key + " must be an API key of 20 to 256 letters, digits, '-' or '_'");
            }
            return apiKey;
        }
        if (key.startsWith(SettingKeys.MODELS_PREFIX)) {
            String operation = key.substring(SettingKeys.MODELS_PREFIX.length());
            if (!operations.contains(operation)) {
                throw ApiException.badRequest("Unknown operation in " + key + "; known: " + new java.util.TreeSet<>(operations));
            }
            if (value == null) {
                return null;
            }
            String model = String.valueOf(value).trim();
            if (!NAME.matcher(model).matches()) {
                throw ApiException.badRequest("Setting " + key + " must be a model name, was '" + value + "'");
            }
            return model;
        }
        if (key.startsWith(SettingKeys.MODEL_PRICES_PREFIX)) {
            String rest = key.substring(SettingKeys.MODEL_PRICES_PREFIX.length());
            int dot = rest.lastIndexOf('.');
            if (dot <= 0 || !PRICE_PARTS.contains(rest.substring(dot + 1)) || !NAME.matcher(rest.substring(0, dot)).matches()) {
                throw ApiException.badRequest("Setting " + key + " must be model_prices.<model>.<one of " + PRICE_PARTS + ">");
            }
            return value == null ? null : usd(key, value);
        }
        throw ApiException.badRequest("Unknown setting " + key + "; known: " + SettingKeys.USER_TOKENS_PER_PERIOD
                + "[.user.<id>], " + SettingKeys.USER_MONTHLY_BUDGET_USD + "[.user.<id>], "
                + SettingKeys.PLATFORM_MONTHLY_BUDGET_USD + ", " + SettingKeys.PLATFORM_DAILY_BUDGET_USD + ", "
                + SettingKeys.PLATFORM_BLOCKS + ", " + SettingKeys.PLATFORM_EXHAUSTED_PERIOD
                + ", models.<operation>, model_prices.<model>.<part>, " + SettingKeys.TEST_MODE + ", "
                + SettingKeys.OPENAI_API_KEY);
    }

    /** A value as it may be shown: secrets as {@code ••••} plus their last 4 characters, others unchanged. */
    static String mask(String key, String value) {
        if (value == null || !SECRETS.contains(key)) {
            return value;
        }
        return value.length() < 12 ? "••••" : "••••" + value.substring(value.length() - 4);
    }

    private static boolean isUserKey(String key, String base) {
        String prefix = SettingKeys.forUser(base, "");
        return key.startsWith(prefix) && USER_ID.matcher(key.substring(prefix.length())).matches();
    }

    private static String wholeNumber(String key, Object value) {
        try {
            long n = Long.parseLong(String.valueOf(value).trim());
            if (n < 0) {
                throw ApiException.badRequest("Setting " + key + " must not be negative, was " + n);
            }
            return Long.toString(n);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Setting " + key + " must be a whole number of tokens, was '" + value + "'");
        }
    }

    private static String usd(String key, Object value) {
        try {
            BigDecimal usd = new BigDecimal(String.valueOf(value).trim());
            if (usd.signum() < 0) {
                throw ApiException.badRequest("Setting " + key + " must not be negative, was " + usd.toPlainString());
            }
            return usd.stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Setting " + key + " must be a USD amount such as 12.50, was '" + value + "'");
        }
    }
}
