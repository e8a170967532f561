package io.aicredits.bench;

import io.aicredits.client.CreditDecisions;
import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.UsageEvent;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The benchmark's stand-in for the metering client, added to the gateway's application context by
 * the {@code gateway} phase only (never part of the gateway's jar or configuration): it approves
 * every request at once and drops usage, so the phase can measure what the same gateway does
 * without metering and report metering's overhead as a ratio.
 */
@Configuration(proxyBeanMethods = false)
class InstantApprovals {

    private static final long CREDITS = 1_000_000;

    @Bean
    @Primary
    CreditDecisions approveAtOnce() {
        return new CreditDecisions() {
            @Override
            public CompletableFuture<CreditDecision> decide(AiRequest request) {
                Instant now = Instant.now();
                return CompletableFuture.completedFuture(CreditDecision.newBuilder()
                        .setRequestId(request.getRequestId())
                        .setAttemptId(request.getAttemptId())
                        .setUserId(request.getUserId())
                        .setOperationType(request.getOperationType())
                        .setPool("ai_credits")
                        .setApproved(true)
                        .setReason(DecisionReason.APPROVED)
                        .setCreditsRequired(1)
                        .setCreditsHeld(1)
                        .setBalance(CREDITS)
                        .setCreditsLimit(CREDITS)
                        .setPeriodStart(now)
                        .setNextReset(now)
                        .setDecidedAt(now)
                        .build());
            }

            @Override
            public CompletableFuture<Void> reportUsage(UsageEvent usage) {
                return CompletableFuture.completedFuture(null);
            }
        };
    }
}
