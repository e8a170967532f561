package io.aicredits.stream;

import io.aicredits.events.CreditDecision;

/** A decision plus the ai.decisions partition it must go to (null: partition by key). */
record RoutedDecision(CreditDecision decision, Integer replyPartition) {
}
