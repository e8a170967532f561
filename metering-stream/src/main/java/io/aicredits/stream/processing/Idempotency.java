package io.aicredits.stream.processing;

import io.aicredits.events.CreditDecision;
import io.aicredits.stream.holds.Hold;
import io.aicredits.stream.holds.Holds;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is remembered for the dedup window so nothing is charged twice: the decision of each request
 * id's latest attempt (with what it was charged once settled), the outcome of each command id
 * (applied or refused), and closed holds (kept by {@link Holds}). Each is indexed by the time it
 * became eligible to be forgotten, so {@link #forgetUntil} reads only what is due; a request id's
 * decision is forgotten with its hold.
 */
final class Idempotency {

    private static final Logger log = LoggerFactory.getLogger(Idempotency.class);
    private static final String DECISION_TAG = "d";
    private static final String COMMAND_TAG = "c";

    private final KeyValueStore<String, CreditDecision> decisions;
    private final KeyValueStore<String, CommandOutcome> commands;
    private final TimeIndex index;

    Idempotency(KeyValueStore<String, CreditDecision> decisions, KeyValueStore<String, CommandOutcome> commands,
                KeyValueStore<String, String> indexStore) {
        this.decisions = decisions;
        this.commands = commands;
        this.index = new TimeIndex(indexStore);
    }

    /** The decision of a request id's latest attempt; a new attempt's decision replaces its earlier one's. */
    void decided(CreditDecision decision) {
        decisions.put(decision.getRequestId(), decision);
        index.add(decision.getDecidedAt().toEpochMilli(), DECISION_TAG, decision.getRequestId());
    }

    /**
     * An attempt was charged {@code credits} when its usage settled: kept with the attempt's decision
     * for the dedup window, to tell a repeated request id. The decision keeps its time, so its
     * index entry stays right.
     */
    void charged(String requestId, long credits) {
        CreditDecision d = decisions.get(requestId);
        if (d != null) {
            decisions.put(requestId, CreditDecision.newBuilder(d).setCreditsCharged(credits).build());
        }
    }

    /** What the settled {@code hold} was charged. */
    long chargedFor(Hold hold) {
        CreditDecision d = decisions.get(hold.requestId);
        // Settled before charges were kept with decisions (earlier version): the held amount.
        return d != null && d.getCreditsCharged() != null ? d.getCreditsCharged() : hold.amount;
    }

    /** What became of a command id within the dedup window (applied or refused), or null if it is new. */
    CommandOutcome commandOutcome(String commandId) {
        return commands.get(commandId);
    }

    void commandDecided(String commandId, CommandOutcome outcome) {
        commands.put(commandId, outcome);
        index.add(outcome.decidedAt(), COMMAND_TAG, commandId);
    }

    /** A hold closed: it is kept in {@link Holds} until the dedup window after its closing time ends. */
    void closedHold(Hold hold) {
        index.add(hold.closedAt, Holds.TAG, hold.requestId);
    }

    private void forgetDecision(String requestId, long keepUntil) {
        CreditDecision d = decisions.get(requestId);
        // A newer attempt's decision has its own, later index entry.
        if (d != null && d.getDecidedAt().toEpochMilli() <= keepUntil) {
            decisions.delete(requestId);
        }
    }

    /** Forgets closed holds, decisions and command outcomes that became eligible at or before {@code keepUntil}. */
    void forgetUntil(long keepUntil, Holds holds) {
        for (KeyValue<String, String> due : index.due(keepUntil)) {
            index.remove(due.key);
            String id = due.value;
            switch (TimeIndex.tagOf(due.key)) {
                case Holds.TAG -> {
                    if (holds.forget(id, keepUntil)) {
                        forgetDecision(id, keepUntil);
                    }
                }
                case DECISION_TAG -> {
                    // A hold still remembered keeps its request id's decision: both go together, so a
                    // repeat never finds a charged hold without its decision, nor the reverse.
                    if (holds.get(id) == null) {
                        forgetDecision(id, keepUntil);
                    }
                }
                case COMMAND_TAG -> {
                    CommandOutcome outcome = commands.get(id);
                    if (outcome != null && outcome.decidedAt() <= keepUntil) {
                        commands.delete(id);
                    }
                }
                default -> log.error("Ignoring dedup index entry {} with an unknown tag", due.key);
            }
        }
    }
}
