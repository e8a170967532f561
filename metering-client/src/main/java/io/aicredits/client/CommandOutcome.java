package io.aicredits.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What became of one credit command, as the metering stream answers
 * {@code GET /balances/{userId}/commands/{commandId}} (docs/architecture.md, "Command outcomes").
 * The one reader-side shape of that JSON, for the gateway and the Spring Boot starter.
 *
 * <p>The outcome of a command id is final for the stream's dedup window (24 h by default): a
 * repeat of an applied id is not applied again, a repeat of a refused id is refused again with the
 * same reason, even if it would apply now. {@code unknown} means not processed yet (or never sent,
 * or older than the window): a caller waiting for its own command keeps polling until a deadline.
 *
 * @param state  {@link #APPLIED}, {@link #REFUSED} or {@link #UNKNOWN}
 * @param reason why it was refused (the reason its dead letter carries); null otherwise
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommandOutcome(
        @JsonProperty("user_id") String userId,
        @JsonProperty("command_id") String commandId,
        @JsonProperty("state") String state,
        @JsonProperty("reason") String reason,
        @JsonProperty("decided_at") String decidedAt) {

    public static final String APPLIED = "applied";
    public static final String REFUSED = "refused";
    public static final String UNKNOWN = "unknown";

    public boolean applied() {
        return APPLIED.equals(state);
    }

    public boolean refused() {
        return REFUSED.equals(state);
    }

    /** Applied or refused: waiting longer will not change it. */
    public boolean decided() {
        return applied() || refused();
    }
}
