package io.aicredits.stream.balances;

/** Answers what became of a user's credit command, for users whose key this instance owns, or says where to ask. */
public interface CommandQueries {
    BalanceLookup<CommandOutcomeView> commandOutcome(String userId, String commandId);
}
