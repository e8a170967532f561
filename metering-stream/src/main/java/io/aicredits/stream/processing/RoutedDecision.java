package io.aicredits.stream.processing;

import io.aicredits.events.CreditDecision;

/** A decision plus the ai.decisions partition it must go to (null: partition by key). */
public record RoutedDecision(CreditDecision decision, Integer replyPartition) {
}
