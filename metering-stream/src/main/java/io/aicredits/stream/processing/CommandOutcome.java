package io.aicredits.stream.processing;

import io.aicredits.stream.MeteringTopology;

/**
 * What became of one user's credit command, the value of {@link MeteringTopology#COMMANDS_STORE}:
 * applied, or refused with the reason its dead letter carries. Kept for the dedup window; within
 * it the outcome of a command id is final, so a repeat of a refused command is refused again even
 * if it would now apply (a caller who wants it applied sends a new command id).
 *
 * @param userId    the user the command was for ({@code null} for a value written before outcomes were kept)
 * @param reason    why it was refused; {@code null} when applied
 * @param decidedAt wall-clock time the stream applied or refused it, from which the dedup window runs
 */
public record CommandOutcome(String userId, boolean applied, String reason, long decidedAt) {

    public static CommandOutcome applied(String userId, long decidedAt) {
        return new CommandOutcome(userId, true, null, decidedAt);
    }

    public static CommandOutcome refused(String userId, String reason, long decidedAt) {
        return new CommandOutcome(userId, false, reason, decidedAt);
    }
}
