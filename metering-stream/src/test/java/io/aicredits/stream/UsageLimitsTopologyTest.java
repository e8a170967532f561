package io.aicredits.stream;

import static io.aicredits.stream.MeteringDriver.FEB_1;
import static io.aicredits.stream.MeteringSettings.AI_CREDITS;
import static io.aicredits.stream.MeteringSettings.AI_TOKENS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.GrantType;
import io.aicredits.events.LedgerKind;
import io.aicredits.schemas.SettingKeys;
import io.aicredits.stream.limits.LimitDefaults;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-user token limit and monthly USD budget at decision time (issue 9, seed 002 §7). */
class UsageLimitsTopologyTest {

    private static final String USER_TOKENS = SettingKeys.USER_TOKENS_PER_PERIOD;
    private static final String USER_BUDGET = SettingKeys.USER_MONTHLY_BUDGET_USD;

    private MeteringDriver driver;

    @AfterEach
    void close() {
        driver.close();
    }

    private MeteringDriver driver(LimitDefaults limits) {
        driver = new MeteringDriver(MeteringDriver.fixtureSettings(), limits);
        return driver;
    }

    @Test
    void shouldRejectUserOverTokenLimitWithDocumentedMessage() {
        // Given a 100,000-token limit per period and credits enough for far more
        driver(LimitDefaults.none().withUserTokensPerPeriod(100_000));
        driver.grant("u1", AI_TOKENS, 1_000, GrantType.TOP_UP, null);
        assertThat(driver.requestTokens("u1", "r1", "ai_summary", 60_000).getApproved()).isTrue();
        driver.succeededTokens("u1", "r1", "ai_summary", 70_000, 30_000);
        long balance = driver.balance("u1", AI_TOKENS);

        // When the user asks for more tokens
        CreditDecision d = driver.requestTokens("u1", "r2", "ai_card", 500);

        // Then the request is rejected with the documented reason and message, nothing held
        assertThat(d.getApproved()).isFalse();
        assertThat(d.getReason()).isEqualTo(DecisionReason.TOKEN_LIMIT_EXCEEDED);
        assertThat(d.getMessage()).isEqualTo(
                "AI token limit reached. You have used 100000 of 100000 tokens this period. Limits reset on 2/1/2025.");
        assertThat(d.getCreditsHeld()).isZero();
        assertThat(driver.balance("u1", AI_TOKENS)).isEqualTo(balance).isEqualTo(1_000 + 100 - 100);
        assertThat(driver.ledger("u1", LedgerKind.HOLD_PLACED)).hasSize(1);
        assertThat(driver.account("u1").tokensUsed).isEqualTo(100_000);
        // and the limit is per user: another user is served
        assertThat(driver.requestTokens("u2", "r3", "ai_card", 500).getApproved()).isTrue();
    }

    @Test
    void shouldCountOpenHoldEstimatesUntilTheirUsageOrExpiry() {
        driver(LimitDefaults.none().withUserTokensPerPeriod(10_000));

        assertThat(driver.requestTokens("u1", "r1", "ai_card", 6_000).getApproved()).isTrue();
        CreditDecision over = driver.requestTokens("u1", "r2", "ai_card", 5_000);
        assertThat(over.getReason()).isEqualTo(DecisionReason.TOKEN_LIMIT_EXCEEDED);
        assertThat(over.getMessage()).isEqualTo("AI token limit would be exceeded. You have used 6000 of 10000 tokens this"
                + " period; this request needs up to 5000. Limits reset on 2/1/2025.");
        assertThat(driver.requestTokens("u1", "r3", "ai_card", 4_000).getApproved()).isTrue();
        assertThat(driver.account("u1").tokensHeld).isEqualTo(10_000);

        // r1 fails: its 6,000 estimated tokens are free again, and it used none
        driver.failed("u1", "r1", "ai_card");
        assertThat(driver.requestTokens("u1", "r4", "ai_card", 5_000).getApproved()).isTrue();
        assertThat(driver.account("u1").tokensHeld).isEqualTo(9_000);

        // holds without usage expire after 10 minutes and stop counting
        driver.advanceWallClock(Duration.ofMinutes(11));
        assertThat(driver.account("u1").tokensHeld).isZero();
        assertThat(driver.requestTokens("u1", "r5", "ai_card", 10_000).getApproved()).isTrue();
    }

    @Test
    void shouldNotApplyTokenLimitToFixedPriceRequestsWithoutTokens() {
        driver(LimitDefaults.none().withUserTokensPerPeriod(1_000));
        driver.requestTokens("u1", "r1", "ai_card", 900);
        driver.succeededTokens("u1", "r1", "ai_card", 800, 200);

        assertThat(driver.requestTokens("u1", "r2", "text_generation", 50).getReason()).isEqualTo(DecisionReason.TOKEN_LIMIT_EXCEEDED);
        assertThat(driver.request("u1", "r3", "image_generation").getApproved()).isTrue();
    }

    @Test
    void shouldApplyTokenLimitSettingChangesToTheNextRequest() {
        // Given no configured limit and a user who used 3,000 tokens
        driver(LimitDefaults.none());
        driver.requestTokens("u1", "r1", "ai_card", 1_000);
        driver.succeededTokens("u1", "r1", "ai_card", 2_000, 1_000);
        assertThat(driver.requestTokens("u1", "r2", "ai_card", 1_000).getApproved()).isTrue();
        driver.succeededTokens("u1", "r2", "ai_card", 0, 0);

        // When a super admin sets a global limit of 2,000 tokens
        driver.setting(USER_TOKENS, "2000");

        // Then the next request is rejected
        CreditDecision d = driver.requestTokens("u1", "r3", "ai_card", 100);
        assertThat(d.getReason()).isEqualTo(DecisionReason.TOKEN_LIMIT_EXCEEDED);
        assertThat(d.getMessage()).isEqualTo(
                "AI token limit reached. You have used 3000 of 2000 tokens this period. Limits reset on 2/1/2025.");

        // a per-user override wins for that user only
        driver.setting(SettingKeys.forUser(USER_TOKENS, "u1"), "5000");
        assertThat(driver.requestTokens("u1", "r4", "ai_card", 100).getApproved()).isTrue();
        driver.requestTokens("u2", "r5", "ai_card", 100);
        driver.succeededTokens("u2", "r5", "ai_card", 2_000, 0);
        assertThat(driver.requestTokens("u2", "r6", "ai_card", 100).getReason()).isEqualTo(DecisionReason.TOKEN_LIMIT_EXCEEDED);

        // removing the override (null value) brings back the global limit; removing that, no limit at all
        driver.setting(SettingKeys.forUser(USER_TOKENS, "u1"), null);
        assertThat(driver.requestTokens("u1", "r7", "ai_card", 100).getReason()).isEqualTo(DecisionReason.TOKEN_LIMIT_EXCEEDED);
        driver.setting(USER_TOKENS, null);
        assertThat(driver.requestTokens("u1", "r8", "ai_card", 100).getApproved()).isTrue();
    }

    @Test
    void shouldStartCountingTokensAgainInANewPeriod() {
        driver(LimitDefaults.none().withUserTokensPerPeriod(2_000));
        driver.requestTokens("u1", "r1", "ai_card", 1_000);
        driver.succeededTokens("u1", "r1", "ai_card", 1_500, 500);
        assertThat(driver.requestTokens("u1", "r2", "ai_card", 1).getApproved()).isFalse();

        driver.at(FEB_1.plusSeconds(60));
        CreditDecision d = driver.requestTokens("u1", "r3", "ai_card", 1_000);

        assertThat(d.getApproved()).isTrue();
        assertThat(driver.account("u1").tokensUsed).isZero();
        assertThat(driver.account("u1").tokensHeld).isEqualTo(1_000);
    }

    @Test
    void shouldRejectEveryOperationOnceTheUserMonthlyBudgetIsSpent() {
        // Given a $5.00 monthly budget per user
        driver(LimitDefaults.none().withUserMonthlyBudgetUsd(new BigDecimal("5.00")));
        driver.requestTokens("u1", "r1", "ai_summary", 1_000);
        driver.succeededWithCost("u1", "r1", "ai_summary", 500, 500, 4_990_000_000L);
        assertThat(driver.request("u1", "r2", "text_generation").getApproved()).isTrue();
        driver.succeededWithCost("u1", "r2", "text_generation", 100, 100, 20_000_000L);

        // When the user (now at $5.01) asks again, for a fixed-price operation
        CreditDecision d = driver.request("u1", "r3", "image_generation");

        // Then
        assertThat(d.getApproved()).isFalse();
        assertThat(d.getReason()).isEqualTo(DecisionReason.BUDGET_EXCEEDED);
        assertThat(d.getMessage()).isEqualTo(
                "AI budget reached. You have spent $5.01 of your $5.00 monthly AI budget. Limits reset on 2/1/2025.");
        assertThat(driver.balance("u1", AI_CREDITS)).isEqualTo(100 - 1);
        assertThat(driver.account("u1").costNanos).isEqualTo(5_010_000_000L);

        // a per-user budget setting lifts it for that user at once
        driver.setting(SettingKeys.forUser(USER_BUDGET, "u1"), "10");
        assertThat(driver.request("u1", "r4", "image_generation").getApproved()).isTrue();
    }

    @Test
    void shouldStopConcurrentApprovalsWhenHeldEstimatesReachTheBudget() {
        // Given a $1.00 budget and nothing spent yet
        driver(LimitDefaults.none().withUserMonthlyBudgetUsd(new BigDecimal("1.00")));

        // When calls expected to cost $0.30 each are asked for before any of them reports usage
        List<CreditDecision> decisions = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            decisions.add(driver.request(costed("u1", "r" + i, 300_000_000L)));
        }

        // Then three are approved ($0.90 held) and the fourth, which could take the user to $1.20, is not
        assertThat(decisions).extracting(CreditDecision::getApproved).containsExactly(true, true, true, false, false);
        assertThat(decisions.get(3).getReason()).isEqualTo(DecisionReason.BUDGET_EXCEEDED);
        assertThat(decisions.get(3).getMessage()).isEqualTo("AI budget would be exceeded. You have spent $0.00 and $0.90 is held"
                + " for calls in progress, of your $1.00 monthly AI budget; this request may cost up to $0.30. Limits reset on 2/1/2025.");
        assertThat(driver.account("u1").costHeldNanos).isEqualTo(900_000_000L);
        assertThat(driver.holds().get("r1").costHeldNanos).isEqualTo(300_000_000L);
        // and a request without an estimate holds nothing and still fits under the budget
        assertThat(driver.request("u1", "r6", "text_generation").getApproved()).isTrue();
        assertThat(driver.account("u1").costHeldNanos).isEqualTo(900_000_000L);
    }

    @Test
    void shouldCountTheActualCostInsteadOfTheEstimateOnceACallSettles() {
        // Given three $0.30 estimates held against a $1.00 budget
        driver(LimitDefaults.none().withUserMonthlyBudgetUsd(new BigDecimal("1.00")));
        for (int i = 1; i <= 3; i++) {
            driver.request(costed("u1", "r" + i, 300_000_000L));
        }

        // When one settles at $0.05, one fails and one expires
        driver.succeededWithCost("u1", "r1", "ai_card", 1_000, 1_000, 50_000_000L);
        driver.failed("u1", "r2", "ai_card");
        assertThat(driver.account("u1").costHeldNanos).isEqualTo(300_000_000L);
        driver.advanceWallClock(Duration.ofMinutes(11));

        // Then no estimate is held any more, the settled call counts at its actual cost,
        // and the room is back: a $0.95 call fits, a further $0.01 one does not
        assertThat(driver.account("u1").costHeldNanos).isZero();
        assertThat(driver.account("u1").costNanos).isEqualTo(50_000_000L);
        assertThat(driver.request(costed("u1", "r4", 950_000_000L)).getApproved()).isTrue();
        CreditDecision over = driver.request(costed("u1", "r5", 10_000_000L));
        assertThat(over.getReason()).isEqualTo(DecisionReason.BUDGET_EXCEEDED);
        assertThat(over.getMessage()).startsWith("AI budget reached. You have spent $0.05 and $0.95 is held for calls in progress");
    }

    @Test
    void shouldRefuseANegativeCostEstimate() {
        driver(LimitDefaults.none().withUserMonthlyBudgetUsd(new BigDecimal("1.00")));

        CreditDecision d = driver.request(costed("u1", "r1", -1L));

        assertThat(d.getReason()).isEqualTo(DecisionReason.INVALID_REQUEST);
        assertThat(driver.account("u1").costHeldNanos).isZero();
    }

    private AiRequest costed(String user, String requestId, long estimatedCostNanos) {
        return AiRequest.newBuilder().setRequestId(requestId).setUserId(user).setOperationType("ai_card")
                .setEstimatedTokens(1_000L).setEstimatedCostUsdNanos(estimatedCostNanos)
                .setRequestedAt(MeteringDriver.JAN_15).build();
    }

    @Test
    void shouldRejectEveryoneWhileThePlatformBudgetIsExhaustedAndBlockingIsOn() {
        driver(LimitDefaults.none());
        driver.setting(SettingKeys.PLATFORM_EXHAUSTED_PERIOD, "2025-01");
        // Exhausted but not blocking: alerts only
        assertThat(driver.request("u1", "r1", "text_generation").getApproved()).isTrue();

        driver.setting(SettingKeys.PLATFORM_BLOCKS, "true");
        CreditDecision d = driver.request("u2", "r2", "text_generation");
        assertThat(d.getReason()).isEqualTo(DecisionReason.BUDGET_EXCEEDED);
        assertThat(d.getMessage()).isEqualTo("The platform's monthly AI budget is reached. AI requests are paused until 2/1/2025.");

        // the next month is not blocked by January's exhaustion
        driver.at(FEB_1.plusSeconds(1));
        assertThat(driver.request("u2", "r3", "text_generation").getApproved()).isTrue();
        // and a super admin clearing the flag unblocks at once
        driver.setting(SettingKeys.PLATFORM_EXHAUSTED_PERIOD, "2025-02");
        assertThat(driver.request("u2", "r4", "text_generation").getReason()).isEqualTo(DecisionReason.BUDGET_EXCEEDED);
        driver.setting(SettingKeys.PLATFORM_EXHAUSTED_PERIOD, null);
        assertThat(driver.request("u2", "r5", "text_generation").getApproved()).isTrue();
    }
}
