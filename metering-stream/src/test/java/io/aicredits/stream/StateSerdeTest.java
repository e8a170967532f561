package io.aicredits.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aicredits.stream.credits.Account;
import io.aicredits.stream.credits.PeriodMark;
import io.aicredits.stream.holds.Hold;
import io.aicredits.stream.processing.CommandOutcome;
import java.util.ArrayList;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The binary state serde keeps every field of the stored values and refuses layouts it does not know. */
class StateSerdeTest {

    @Test
    void shouldRoundTripAccountWithPoolsGrantsAndNulls() {
        // Given an account with two pools, grants with and without expiry
        Account a = new Account();
        a.userId = "user-ü-1";
        a.plan = "PRO";
        a.periodId = "2026-11";
        a.periodStart = 1_793_491_200_000L;
        a.lastReset = 1_793_491_200_001L;
        a.tokensUsed = 123_456;
        a.tokensHeld = 7;
        a.costNanos = -5_010_000_000L;
        a.costHeldNanos = 2_500_000;
        Account.Pool credits = a.pool("ai_credits");
        credits.limit = 500;
        credits.allowance = -3;
        credits.held = 4;
        credits.used = 503;
        credits.overage = 3;
        credits.epoch = 2;
        credits.grants.add(new Account.Grant("cmd-1", "TOP_UP", 40, 1_800_000_000_000L));
        credits.grants.add(new Account.Grant("cmd-2", "BONUS", 10, null));
        a.pool("ai_tokens").limit = 100;

        // When it is written and read back
        StateSerde<Account> serde = StateSerde.account();
        byte[] bytes = serde.serialize("t", a);
        Account back = serde.deserialize("t", bytes);

        // Then every field survives, and the value starts with the format version
        assertThat(bytes[0]).isEqualTo(StateSerde.VERSION);
        assertThat(back).usingRecursiveComparison().isEqualTo(a);
        assertThat(back.pool("ai_credits").balance()).isEqualTo(47);
    }

    @Test
    void shouldRoundTripHoldInEveryState() {
        for (Hold.State state : Hold.State.values()) {
            // Given a token-priced hold partly taken from grants
            Hold h = new Hold();
            h.requestId = "req-1";
            h.userId = "user-1";
            h.pool = "ai_tokens";
            h.operationType = "ai_summary";
            h.amount = 9;
            h.fromAllowance = 5;
            h.fromGrants = new ArrayList<>();
            h.fromGrants.add(new Account.Grant("cmd-9", "BONUS", 4, 1L));
            h.epoch = 3;
            h.periodStart = 11;
            h.tokensPerCredit = 1000L;
            h.estimatedTokens = 8_500;
            h.placedAt = 100;
            h.expiresAt = 600_100;
            h.state = state;
            h.closedAt = state == Hold.State.OPEN ? 0 : 200;
            h.attemptId = "attempt-7";
            h.costHeldNanos = 1_250_000;
            h.response = "{\"generation_id\":\"gen-1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

            // When it is written and read back
            Hold back = StateSerde.hold().copy(h);

            // Then it is equal field by field
            assertThat(back).usingRecursiveComparison().isEqualTo(h);
        }
    }

    @Test
    void shouldRoundTripFixedPriceHoldWithoutTokenRate() {
        Hold h = new Hold();
        h.requestId = "req-2";
        h.userId = "user-2";
        h.pool = "ai_credits";
        h.operationType = "text_generation";
        h.amount = 1;
        h.tokensPerCredit = null;

        Hold back = StateSerde.hold().copy(h);

        assertThat(back.tokensPerCredit).isNull();
        assertThat(back).usingRecursiveComparison().isEqualTo(h);
    }

    @Test
    void shouldRoundTripPeriodMark() {
        PeriodMark back = StateSerde.periodMark().copy(new PeriodMark("2026-12", 1_796_083_200_000L));

        assertThat(back.periodId).isEqualTo("2026-12");
        assertThat(back.startAt).isEqualTo(1_796_083_200_000L);
    }

    @Test
    void shouldReadHoldsAndAccountsStoredByTheFirstLayout() {
        // Given a hold and an account as the first layout wrote them: the same fields without the appended ones
        Hold hold = new Hold();
        hold.requestId = "req-3";
        hold.amount = 5;
        byte[] holdV1 = firstLayout(StateSerde.hold().serialize("t", hold), 1 + 8 + 4);
        Account account = new Account();
        account.userId = "user-3";
        account.pool("ai_credits").limit = 100;
        byte[] accountV1 = firstLayout(StateSerde.account().serialize("t", account), 8);

        // When they are read by this build
        Hold holdBack = StateSerde.hold().deserialize("t", holdV1);
        Account accountBack = StateSerde.account().deserialize("t", accountV1);

        // Then every stored field is kept and the new ones have their defaults
        assertThat(holdBack).usingRecursiveComparison().isEqualTo(hold);
        assertThat(holdBack.attemptId).isNull();
        assertThat(holdBack.response).isNull();
        assertThat(accountBack).usingRecursiveComparison().isEqualTo(account);
        assertThat(accountBack.costHeldNanos).isZero();
    }

    /** The bytes minus the fields the second layout appended (null attempt, zero cost, null response: {@code appended} bytes). */
    private static byte[] firstLayout(byte[] current, int appended) {
        byte[] old = java.util.Arrays.copyOf(current, current.length - appended);
        old[0] = 1;
        return old;
    }

    @Test
    void shouldRoundTripAppliedAndRefusedCommandOutcomes() {
        var serde = StateSerde.commandOutcome();
        CommandOutcome applied = CommandOutcome.applied("user-1", 1_793_491_200_000L);
        CommandOutcome refused = CommandOutcome.refused("user-1", "adjustment cmd-2 of -5 would take ai_credits below zero", 7L);

        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", applied))).isEqualTo(applied);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", refused))).isEqualTo(refused);
    }

    @Test
    void shouldReadCommandIdStoredAsAppliedAtTimeAsApplied() {
        // Given a commands-store value from before outcomes were kept: the applied-at time as a plain long
        byte[] stored = org.apache.kafka.common.serialization.Serdes.Long().serializer().serialize("t", 1_793_491_200_000L);

        // When it is read by this build
        CommandOutcome back = StateSerde.commandOutcome().deserializer().deserialize("t", stored);

        // Then it is an applied command decided at that time
        assertThat(back.applied()).isTrue();
        assertThat(back.decidedAt()).isEqualTo(1_793_491_200_000L);
        assertThat(back.reason()).isNull();
    }

    @Test
    void shouldRefuseUnknownFormatVersion() {
        // Given a stored value written by a future layout
        byte[] bytes = StateSerde.periodMark().serialize("t", new PeriodMark("2026-12", 1L));
        bytes[0] = (byte) (StateSerde.VERSION + 1);

        // When / Then it is refused with the version named, not misread
        assertThatThrownBy(() -> StateSerde.periodMark().deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown format version " + (StateSerde.VERSION + 1));
    }

    @Test
    void shouldRefuseTruncatedValue() {
        byte[] bytes = StateSerde.hold().serialize("t", new Hold());
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> StateSerde.hold().deserialize("t", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot read Hold state");
    }
}
