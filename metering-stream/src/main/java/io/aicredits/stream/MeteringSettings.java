package io.aicredits.stream;

import io.aicredits.schemas.Topics;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the metering topology needs to know that is not in the events: the default price
 * catalog, the plans with their per-pool monthly limits, hold and dedup timing, the zone periods
 * are computed in, and the topic names.
 *
 * @param catalog           default price per operation type (runtime overrides come from {@code credit.prices})
 * @param plans             plan name → pool → monthly limit in credits
 * @param defaultPlan       plan of a user never seen before
 * @param holdTimeout       an approved hold with no usage is released after this long (wall clock)
 * @param dedupWindow       how long a request id's decision and a hold's outcome are remembered
 * @param zone              zone the monthly periods start in (00:00 on the 1st)
 * @param punctuateInterval how often the wall-clock punctuator looks for expired holds
 * @param topics            topic names (default: those of {@link Topics})
 */
public record MeteringSettings(
        Map<String, Price> catalog,
        Map<String, Map<String, Long>> plans,
        String defaultPlan,
        Duration holdTimeout,
        Duration dedupWindow,
        ZoneId zone,
        Duration punctuateInterval,
        TopicNames topics,
        Duration maxClockSkew) {

    /**
     * How far ahead of the stream's wall clock a record's timestamp may be. A record stamped later
     * would put an account into a later period and expire grants early; it is dead-lettered instead.
     */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    public static final String AI_CREDITS = "ai_credits";
    public static final String GENERATION_CREDITS = "generation_credits";
    public static final String AI_TOKENS = "ai_tokens";
    /** Token-priced operations: one credit of {@link #AI_TOKENS} buys this many tokens (input + output). */
    public static final long TOKENS_PER_CREDIT = 1_000;

    public MeteringSettings {
        // Keeps the configured order: the credits API lists costs in it (text before image)
        catalog = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(catalog, "catalog")));
        Objects.requireNonNull(plans, "plans");
        Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
        plans.forEach((plan, limits) -> copy.put(plan, Map.copyOf(limits)));
        plans = Map.copyOf(copy);
        Objects.requireNonNull(defaultPlan, "defaultPlan");
        if (!plans.containsKey(defaultPlan)) {
            throw new IllegalArgumentException("default plan " + defaultPlan + " is not among the plans " + plans.keySet());
        }
        requirePositive(holdTimeout, "holdTimeout");
        requirePositive(dedupWindow, "dedupWindow");
        requirePositive(punctuateInterval, "punctuateInterval");
        if (holdTimeout.compareTo(dedupWindow) >= 0) {
            // A closed hold is remembered for the dedup window; a hold outliving it could be charged
            // again by a repeat of its request id after the window.
            throw new IllegalArgumentException("holdTimeout (" + holdTimeout + ") must be shorter than dedupWindow (" + dedupWindow + ")");
        }
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(topics, "topics");
        requirePositive(maxClockSkew, "maxClockSkew");
    }

    /**
     * The default catalog (docs/requirements.md, "Credits and periods"): text 1 and image 5 in
     * {@code ai_credits}; image operations in {@code generation_credits}; per-model operations
     * priced by tokens in {@code ai_tokens}, plus the gateway's {@code /v1} chat and embeddings; plans
     * FREE/PRO/TEAM; 10 min hold timeout; 24 h dedup; periods in UTC.
     */
    public static MeteringSettings defaults() {
        Map<String, Price> catalog = new LinkedHashMap<>();
        catalog.put("text_generation", Price.fixed(AI_CREDITS, 1, null));
        catalog.put("image_generation", Price.fixed(AI_CREDITS, 5, null));
        catalog.put("basic_image", Price.fixed(GENERATION_CREDITS, 1, null));
        catalog.put("professional_photo", Price.fixed(GENERATION_CREDITS, 1, null));
        catalog.put("change_hairstyle", Price.fixed(GENERATION_CREDITS, 1, null));
        catalog.put("upscale", Price.fixed(GENERATION_CREDITS, 2, null));
        catalog.put("ai_card", Price.tokens(AI_TOKENS, 1, TOKENS_PER_CREDIT, "gpt-4o-mini"));
        catalog.put("ai_summary", Price.tokens(AI_TOKENS, 2, TOKENS_PER_CREDIT, "gpt-4o"));
        catalog.put("emotion_analysis", Price.tokens(AI_TOKENS, 1, TOKENS_PER_CREDIT, "gpt-4o-mini"));
        catalog.put("voice_to_text", Price.fixed(AI_TOKENS, 2, "whisper-1"));
        catalog.put("ai_coach", Price.tokens(AI_TOKENS, 2, TOKENS_PER_CREDIT, "gpt-4o"));
        // The gateway's OpenAI-compatible POST /v1/chat/completions, any priced chat model.
        catalog.put("chat_completion", Price.tokens(AI_TOKENS, 1, TOKENS_PER_CREDIT, null));
        // The gateway's POST /v1/embeddings, any priced embedding model.
        catalog.put("embedding", Price.tokens(AI_TOKENS, 1, TOKENS_PER_CREDIT, null));

        Map<String, Map<String, Long>> plans = new LinkedHashMap<>();
        plans.put("FREE", Map.of(AI_CREDITS, 100L, GENERATION_CREDITS, 10L, AI_TOKENS, 100L));
        plans.put("PRO", Map.of(AI_CREDITS, 500L, GENERATION_CREDITS, 50L, AI_TOKENS, 500L));
        plans.put("TEAM", Map.of(AI_CREDITS, 2000L, GENERATION_CREDITS, 200L, AI_TOKENS, 2000L));

        return new MeteringSettings(catalog, plans, "FREE", Duration.ofMinutes(10), Duration.ofHours(24),
                ZoneId.of("UTC"), Duration.ofSeconds(5), TopicNames.defaults(), DEFAULT_MAX_CLOCK_SKEW);
    }

    public MeteringSettings withHoldTimeout(Duration timeout) {
        return new MeteringSettings(catalog, plans, defaultPlan, timeout, dedupWindow, zone, punctuateInterval, topics, maxClockSkew);
    }

    public MeteringSettings withDedupWindow(Duration window) {
        return new MeteringSettings(catalog, plans, defaultPlan, holdTimeout, window, zone, punctuateInterval, topics, maxClockSkew);
    }

    public MeteringSettings withPunctuateInterval(Duration interval) {
        return new MeteringSettings(catalog, plans, defaultPlan, holdTimeout, dedupWindow, zone, interval, topics, maxClockSkew);
    }

    public MeteringSettings withZone(ZoneId otherZone) {
        return new MeteringSettings(catalog, plans, defaultPlan, holdTimeout, dedupWindow, otherZone, punctuateInterval, topics, maxClockSkew);
    }

    public MeteringSettings withTopics(TopicNames names) {
        return new MeteringSettings(catalog, plans, defaultPlan, holdTimeout, dedupWindow, zone, punctuateInterval, names, maxClockSkew);
    }

    public MeteringSettings withMaxClockSkew(Duration skew) {
        return new MeteringSettings(catalog, plans, defaultPlan, holdTimeout, dedupWindow, zone, punctuateInterval, topics, skew);
    }

    /** Monthly limit of {@code pool} under {@code plan}; 0 when the plan gives nothing in that pool. */
    public long limitOf(String plan, String pool) {
        Map<String, Long> limits = plans.getOrDefault(plan, plans.get(defaultPlan));
        return limits.getOrDefault(pool, 0L);
    }

    /** Pools a plan gives an allowance in, sorted by name for a stable order. */
    public java.util.SortedSet<String> poolsOf(String plan) {
        return new java.util.TreeSet<>(plans.getOrDefault(plan, plans.get(defaultPlan)).keySet());
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /**
     * A catalog price.
     *
     * @param pool            pool charged
     * @param credits         fixed price; for token-priced operations the minimum hold
     * @param tokensPerCredit when set, the operation is priced by tokens: ceil(tokens / tokensPerCredit)
     * @param model           the operation's default model, informational (the caller picks the model it calls)
     */
    public record Price(String pool, long credits, Long tokensPerCredit, String model) {
        /** The one validity rule of a price, for configured prices and {@code credit.prices} overrides alike. */
        public Price {
            Objects.requireNonNull(pool, "pool");
            if (pool.isBlank() || credits < 0 || (tokensPerCredit != null && tokensPerCredit <= 0)) {
                throw new IllegalArgumentException("invalid price: pool '" + pool + "', credits " + credits
                        + ", tokens per credit " + tokensPerCredit + " (need a pool, credits >= 0, tokens per credit > 0)");
            }
        }

        public static Price fixed(String pool, long credits, String model) {
            return new Price(pool, credits, null, model);
        }

        public static Price tokens(String pool, long minimumCredits, long tokensPerCredit, String model) {
            return new Price(pool, minimumCredits, tokensPerCredit, model);
        }

        public boolean tokenPriced() {
            return tokensPerCredit != null;
        }

        /** Credits for a number of tokens at this price's rate, rounded up. */
        public long creditsForTokens(long tokens) {
            return creditsForTokens(tokens, tokensPerCredit);
        }

        /**
         * The one token rounding: {@code ceil(tokens / tokensPerCredit)}, 0 for no tokens. Used for
         * a hold's estimate and for settling usage at the rate stored on the hold.
         */
        public static long creditsForTokens(long tokens, long tokensPerCredit) {
            // ceil without (tokens + tokensPerCredit - 1), which overflows near Long.MAX_VALUE
            return tokens <= 0 ? 0 : tokens / tokensPerCredit + (tokens % tokensPerCredit == 0 ? 0 : 1);
        }
    }

    /** Topic names; defaults are those of {@link Topics}. */
    public record TopicNames(String requests, String decisions, String usage, String commands,
                             String ledger, String prices, String deadLetters) {
        public static TopicNames defaults() {
            return new TopicNames(Topics.AI_REQUESTS.name(), Topics.AI_DECISIONS.name(), Topics.AI_USAGE.name(),
                    Topics.CREDIT_COMMANDS.name(), Topics.CREDIT_LEDGER.name(), Topics.CREDIT_PRICES.name(),
                    Topics.DEAD_LETTERS.name());
        }
    }
}
