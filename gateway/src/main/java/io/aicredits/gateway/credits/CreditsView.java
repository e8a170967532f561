package io.aicredits.gateway.credits;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The {@code GET /api/ai/credits} answer. */
public record CreditsView(
        @JsonProperty("credits") long credits,
        @JsonProperty("credits_limit") long creditsLimit,
        @JsonProperty("last_reset") String lastReset,
        @JsonProperty("next_reset") String nextReset,
        @JsonProperty("costs") Map<String, Long> costs) {
}
