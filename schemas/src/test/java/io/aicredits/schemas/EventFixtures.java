package io.aicredits.schemas;

import io.aicredits.events.AdjustCredits;
import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditCommand;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.GrantCredits;
import io.aicredits.events.GrantType;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.OperationPrice;
import io.aicredits.events.PeriodOpened;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import java.time.Instant;
import java.util.Map;

/** Named, fully populated events for tests. */
final class EventFixtures {

    static final Instant NOW = Instant.parse("2025-01-30T12:00:00Z");
    static final Instant NEXT_RESET = Instant.parse("2025-02-01T00:00:00Z");

    static AiRequest imageRequest() {
        return AiRequest.newBuilder()
                .setRequestId("req-1").setUserId("user-1").setOperationType("image_generation")
                .setModel("dall-e-3").setPool("ai_credits").setEstimatedCredits(5L).setEstimatedTokens(null)
                .setReplyPartition(3).setRequestedAt(NOW).setMetadata(Map.of("width", "1024"))
                .build();
    }

    static CreditDecision rejection() {
        return CreditDecision.newBuilder()
                .setRequestId("req-1").setUserId("user-1").setOperationType("image_generation").setPool("ai_credits")
                .setApproved(false).setReason(DecisionReason.INSUFFICIENT_CREDITS)
                .setMessage("Insufficient AI credits. You have 3 credits, but need 5. Credits will reset on 2/1/2025.")
                .setCreditsRequired(5).setCreditsHeld(0).setBalance(3).setCreditsLimit(100)
                .setPeriodStart(Instant.parse("2025-01-01T00:00:00Z")).setNextReset(NEXT_RESET)
                .setDecidedAt(NOW)
                .build();
    }

    static UsageEvent textUsage() {
        return UsageEvent.newBuilder()
                .setId("usage-1").setRequestId("req-2").setUserId("user-1").setModel("gpt-4o-mini")
                .setOperationType("text_generation").setPool("ai_credits").setStatus(UsageStatus.SUCCEEDED)
                .setTokensInput(1200).setTokensOutput(350).setImages(0).setAudioSeconds(0)
                .setCostUsdNanos(930_000L).setCreditsCharged(1L).setLatencyMs(842).setCreatedAt(NOW)
                .setMetadata(Map.of("tone", "friendly", "length", "short"))
                .build();
    }

    static CreditCommand topUp() {
        return CreditCommand.newBuilder()
                .setCommandId("cmd-1").setUserId("user-1").setActor("admin-1").setReason("Stripe purchase 50")
                .setIssuedAt(NOW)
                .setCommand(GrantCredits.newBuilder().setPool("ai_credits").setCredits(50)
                        .setGrantType(GrantType.TOP_UP).setExpiresAt(Instant.parse("2026-01-30T12:00:00Z")).build())
                .build();
    }

    static CreditCommand adjustment() {
        return CreditCommand.newBuilder()
                .setCommandId("cmd-2").setUserId("user-1").setActor("admin-1").setIssuedAt(NOW)
                .setCommand(AdjustCredits.newBuilder().setPool("generation_credits").setDelta(-2).build())
                .build();
    }

    static CreditCommand periodOpenedCommand() {
        return CreditCommand.newBuilder()
                .setCommandId("period-2025-02-p0").setUserId(null).setActor("reset-scheduler").setIssuedAt(NOW)
                .setCommand(periodOpened())
                .build();
    }

    static PeriodOpened periodOpened() {
        return PeriodOpened.newBuilder().setPeriodId("2025-02").setStartAt(NEXT_RESET).setZone("UTC").build();
    }

    static LedgerEntry debit() {
        return LedgerEntry.newBuilder()
                .setEntryId("req-1:HOLD_PLACED").setUserId("user-1").setPool("ai_credits").setKind(LedgerKind.HOLD_PLACED)
                .setDelta(-5).setBalanceAfter(94).setCauseId("req-1").setOperationType("image_generation")
                .setCreatedAt(NOW)
                .build();
    }

    static OperationPrice upscalePrice() {
        return OperationPrice.newBuilder()
                .setOperationType("upscale").setPool("generation_credits").setCredits(2).setTokensPerCredit(null)
                .setModel(null).setActor("admin-1").setUpdatedAt(NOW)
                .build();
    }

    static io.aicredits.events.SettingChanged tokenLimitChange() {
        return io.aicredits.events.SettingChanged.newBuilder()
                .setKey("limits.user_tokens_per_period").setValue("100000").setPreviousValue(null)
                .setVersion(1).setChangedBy("admin-1").setChangedAt(NOW)
                .build();
    }

    static io.aicredits.events.AlertRaised budgetAlert() {
        return io.aicredits.events.AlertRaised.newBuilder()
                .setAlertId("USER_BUDGET/u1/2025-01/80").setKind(io.aicredits.events.AlertKind.USER_BUDGET)
                .setSubject("u1").setPool(null).setPeriod("2025-01").setThresholdPercent(80)
                .setAmount(8_500_000_000L).setLimit(10_000_000_000L)
                .setMessage("User u1 has used 80% of their monthly AI budget: $8.50 of $10.00 (2025-01).")
                .setRaisedAt(NOW)
                .build();
    }

    private EventFixtures() {
    }
}
