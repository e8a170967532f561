package io.aicredits.bench;

import io.aicredits.events.AiRequest;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import java.time.Instant;
import java.util.Map;

/** The events the benchmark sends: shaped like the gateway's text generations. */
final class Events {

    private Events() {
    }

    static String userId(int rank) {
        return "user-" + rank;
    }

    static AiRequest textRequest(String requestId, String userId, int replyPartition) {
        return AiRequest.newBuilder()
                .setRequestId(requestId)
                .setUserId(userId)
                .setOperationType("text_generation")
                .setModel("gpt-4o-mini")
                .setReplyPartition(replyPartition)
                .setRequestedAt(Instant.now())
                .setMetadata(Map.of())
                .build();
    }

    static UsageEvent textUsage(long i, String userId) {
        return UsageEvent.newBuilder()
                .setId("usage-req-" + i)
                .setRequestId("req-" + i)
                .setUserId(userId)
                .setModel("gpt-4o-mini")
                .setOperationType("text_generation")
                .setPool("ai_credits")
                .setStatus(UsageStatus.SUCCEEDED)
                .setTokensInput(120)
                .setTokensOutput(380)
                .setCostUsdNanos(300_000L)
                .setCreditsCharged(1L)
                .setLatencyMs(850)
                .setCreatedAt(Instant.now())
                .setMetadata(Map.of())
                .build();
    }
}
