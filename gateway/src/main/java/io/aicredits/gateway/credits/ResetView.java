package io.aicredits.gateway.credits;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code PATCH /api/ai/credits/reset} answer. */
public record ResetView(@JsonProperty("message") String message, @JsonProperty("balance") CreditsView balance) {
}
