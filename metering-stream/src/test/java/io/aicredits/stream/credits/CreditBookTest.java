package io.aicredits.stream.credits;

import static io.aicredits.stream.MeteringSettings.AI_CREDITS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.stream.MeteringSettings;
import io.aicredits.stream.holds.Hold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The money rules on one account, without a topology: no stores, no records, only the book and its ledger. */
class CreditBookTest {

    private static final long JAN_15 = Instant.parse("2025-01-15T12:00:00Z").toEpochMilli();
    private static final long FEB_1 = Instant.parse("2025-02-01T00:00:00Z").toEpochMilli();

    private final CreditBook book = new CreditBook(MeteringSettings.defaults());
    private final List<LedgerEntry> ledger = new ArrayList<>();

    private Account newUser() {
        return book.open("u1", JAN_15, book.refills().currentPeriod(JAN_15, null), ledger);
    }

    @Test
    void shouldOpenNewUserWithTheDefaultPlansAllowanceInEveryPool() {
        Account a = newUser();

        assertThat(a.plan).isEqualTo("FREE");
        assertThat(a.periodId).isEqualTo("2025-01");
        assertThat(a.pool(AI_CREDITS).balance()).isEqualTo(100);
        assertThat(ledger).extracting(LedgerEntry::getKind).containsOnly(LedgerKind.ALLOWANCE_OPENED).hasSize(3);
    }

    @Test
    void shouldSpendAllowanceThenBonusThenTopUpAndRefundInReverse() {
        Account a = newUser();
        book.grant(a, AI_CREDITS, 10, SpendOrder.TOP_UP, null, "top-up", JAN_15, ledger);
        book.grant(a, AI_CREDITS, 10, SpendOrder.BONUS, null, "bonus", JAN_15, ledger);

        Hold h = book.placeHold(a, AI_CREDITS, 115, "r1", "text_generation", null, JAN_15, JAN_15 + 600_000, ledger);

        assertThat(h.fromAllowance).isEqualTo(100);
        assertThat(h.fromGrants).extracting(g -> g.type, g -> g.remaining)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SpendOrder.BONUS, 10L),
                        org.assertj.core.groups.Tuple.tuple(SpendOrder.TOP_UP, 5L));

        book.settle(a, h, 105, JAN_15, ledger);

        assertThat(a.pool(AI_CREDITS).allowance).isZero();
        assertThat(a.pool(AI_CREDITS).grantCredits(SpendOrder.TOP_UP)).as("top-up refunded first").isEqualTo(10);
        assertThat(a.pool(AI_CREDITS).grantCredits(SpendOrder.BONUS)).as("what stays charged is what spend order uses")
                .isEqualTo(5);
        assertThat(ledger.stream().filter(e -> e.getPool().equals(AI_CREDITS)).mapToLong(LedgerEntry::getDelta).sum())
                .as("ledger sum equals balance").isEqualTo(a.pool(AI_CREDITS).balance());
    }

    @Test
    void shouldClearTheMonthsTokenAndCostCountersOnPeriodOpeningButNotOnManualReset() {
        Account a = newUser();
        book.placeHold(a, AI_CREDITS, 30, "r1", "text_generation", null, JAN_15, JAN_15 + 600_000, ledger);
        a.tokensUsed = 5_000;
        a.costNanos = 7_000;
        a.tokensHeld = 300;

        book.refills().resetUser(a, null, "reset-1", JAN_15, ledger);

        assertThat(a.pool(AI_CREDITS).balance()).isEqualTo(100);
        assertThat(a.pool(AI_CREDITS).used).isZero();
        assertThat(a.tokensUsed).as("a manual reset gives credits back, not spending").isEqualTo(5_000);
        assertThat(a.costNanos).isEqualTo(7_000);

        book.refills().openPeriod(a, book.refills().currentPeriod(FEB_1, null), FEB_1, ledger);

        assertThat(a.periodId).isEqualTo("2025-02");
        assertThat(a.tokensUsed).isZero();
        assertThat(a.costNanos).isZero();
        assertThat(a.tokensHeld).as("open holds may still be used").isEqualTo(300);
        assertThat(ledger).extracting(LedgerEntry::getKind).contains(LedgerKind.USER_RESET, LedgerKind.PERIOD_RESET);
    }

    @Test
    void shouldNotReturnTheAllowancePartOfAHoldPlacedBeforeARefill() {
        Account a = newUser();
        Hold h = book.placeHold(a, AI_CREDITS, 5, "r1", "image_generation", null, JAN_15, JAN_15 + 600_000, ledger);
        book.refills().openPeriod(a, book.refills().currentPeriod(FEB_1, null), FEB_1, ledger);

        book.release(a, h, LedgerKind.HOLD_RELEASED, Hold.State.RELEASED, FEB_1, ledger);

        assertThat(a.pool(AI_CREDITS).balance()).as("never above the limit").isEqualTo(100);
    }

    @Test
    void shouldSettleTokenUsageWithTheSameRoundingAsTheHold() {
        MeteringSettings.Price price = MeteringSettings.defaults().catalog().get("ai_summary");

        assertThat(Pricing.holdAmount(price, 2_500L, null)).isEqualTo(3);
        assertThat(Pricing.holdAmount(price, 10L, null)).as("minimum").isEqualTo(2);
        assertThat(MeteringSettings.Price.creditsForTokens(1_001, 1_000)).isEqualTo(2);
        assertThat(MeteringSettings.Price.creditsForTokens(0, 1_000)).isZero();
    }
}
