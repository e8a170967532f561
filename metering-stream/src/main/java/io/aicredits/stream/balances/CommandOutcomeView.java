package io.aicredits.stream.balances;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.aicredits.stream.processing.CommandOutcome;
import java.time.Instant;

/**
 * What became of one credit command, as answered by {@code GET /balances/{userId}/commands/{commandId}}
 * (docs/architecture.md): {@code applied}, {@code refused} with the reason its dead letter carries,
 * or {@code unknown} (not processed yet, never sent, another user's, or older than the dedup window).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandOutcomeView(
        @JsonProperty("user_id") String userId,
        @JsonProperty("command_id") String commandId,
        @JsonProperty("state") String state,
        @JsonProperty("reason") String reason,
        @JsonProperty("decided_at") String decidedAt) {

    public static final String APPLIED = "applied";
    public static final String REFUSED = "refused";
    public static final String UNKNOWN = "unknown";

    /** The view of a stored outcome; one recorded for another user reads as unknown. */
    public static CommandOutcomeView of(String userId, String commandId, CommandOutcome outcome) {
        // An outcome stored before user ids were recorded has none: the command id alone identifies it.
        if (outcome == null || (outcome.userId() != null && !outcome.userId().equals(userId))) {
            return new CommandOutcomeView(userId, commandId, UNKNOWN, null, null);
        }
        return new CommandOutcomeView(userId, commandId, outcome.applied() ? APPLIED : REFUSED, outcome.reason(),
                Instant.ofEpochMilli(outcome.decidedAt()).toString());
    }
}
