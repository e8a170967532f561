package io.aicredits.gateway.credits;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code GET /api/ai/credits/stats} answer. */
public record StatsView(
        @JsonProperty("credits_used") long creditsUsed,
        @JsonProperty("credits_remaining") long creditsRemaining,
        @JsonProperty("credits_limit") long creditsLimit,
        @JsonProperty("percentage_used") long percentageUsed,
        @JsonProperty("last_reset") String lastReset,
        @JsonProperty("next_reset") String nextReset,
        @JsonProperty("estimated_text_generations") long estimatedTextGenerations,
        @JsonProperty("estimated_image_generations") long estimatedImageGenerations) {
}
