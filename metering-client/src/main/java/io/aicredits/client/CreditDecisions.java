package io.aicredits.client;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.UsageEvent;
import java.util.concurrent.CompletableFuture;

/**
 * The two calls around every AI call: ask for a credit decision, then report what was used.
 * {@link MeteringClient} is the implementation (over Kafka, to the metering stream); applications
 * depend on this interface so that a benchmark can measure them with a stand-in that approves at
 * once, in its own application context.
 */
public interface CreditDecisions {

    /** The decision for this attempt at the request; see {@link MeteringClient#decide}. */
    CompletableFuture<CreditDecision> decide(AiRequest request);

    /** Publishes what a call used; see {@link MeteringClient#reportUsage}. */
    CompletableFuture<Void> reportUsage(UsageEvent usage);
}
