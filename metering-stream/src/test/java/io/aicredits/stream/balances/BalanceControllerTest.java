package io.aicredits.stream.balances;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.aicredits.internal.InternalToken;
import io.aicredits.stream.processing.CommandOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * The HTTP contract of {@code GET /balances/{userId}} and {@code GET /balances/{userId}/commands/{commandId}}
 * (docs/architecture.md) for each lookup outcome.
 */
class BalanceControllerTest {

    private static final BalanceView U1 = new BalanceView("u1", "FREE", "2025-01", "2025-01-01T00:00:00Z",
            "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z",
            List.of(new BalanceView.PoolView("ai_credits", 95, 100, 0, 5, 95, 0, 0)));

    private BalanceLookup<BalanceView> answer;
    private BalanceLookup<CommandOutcomeView> outcome;
    private final MockMvc mvc = MockMvcBuilders
            .standaloneSetup(new BalanceController(userId -> answer, (userId, commandId) -> outcome,
                    new OwnerClient(InternalToken.of(""))))
            .build();

    @Test
    void shouldAnswerSnakeCaseBalanceJsonWhenKeyIsLocal() throws Exception {
        answer = new BalanceLookup.Local<>(U1);

        mvc.perform(get("/balances/u1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.user_id").value("u1"))
                .andExpect(jsonPath("$.period_id").value("2025-01"))
                .andExpect(jsonPath("$.last_reset").value("2025-01-01T00:00:00Z"))
                .andExpect(jsonPath("$.next_reset").value("2025-02-01T00:00:00Z"))
                .andExpect(jsonPath("$.last_command_id").doesNotExist())
                .andExpect(jsonPath("$.pools[0].pool").value("ai_credits"))
                .andExpect(jsonPath("$.pools[0].balance").value(95))
                .andExpect(jsonPath("$.pools[0].limit").value(100))
                .andExpect(jsonPath("$.pools[0].used").value(5))
                .andExpect(jsonPath("$.pools[0].top_up").value(0));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileRestoring() throws Exception {
        answer = new BalanceLookup.Unavailable<>("store is restoring");

        mvc.perform(get("/balances/u1"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(jsonPath("$.message").value("Balances are not available right now: store is restoring"));
    }

    @Test
    void shouldNotForwardAgainWhenAlreadyForwarded() throws Exception {
        answer = new BalanceLookup.Remote<>(new org.apache.kafka.streams.state.HostInfo("127.0.0.1", 1));

        mvc.perform(get("/balances/u1").param("forwarded", "true"))
                .andExpect(status().isServiceUnavailable());
    }

    @Test
    void shouldAnswerRefusedCommandWithItsReason() throws Exception {
        outcome = new BalanceLookup.Local<>(CommandOutcomeView.of("u1", "admin:cmd-2", CommandOutcome.refused("u1",
                "adjustment admin:cmd-2 of -500 would take ai_credits of user u1 below zero", 1_736_935_200_000L)));

        mvc.perform(get("/balances/u1/commands/admin:cmd-2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.user_id").value("u1"))
                .andExpect(jsonPath("$.command_id").value("admin:cmd-2"))
                .andExpect(jsonPath("$.state").value("refused"))
                .andExpect(jsonPath("$.reason").value("adjustment admin:cmd-2 of -500 would take ai_credits of user u1 below zero"))
                .andExpect(jsonPath("$.decided_at").value("2025-01-15T10:00:00Z"));
    }

    @Test
    void shouldAnswerUnknownForCommandRecordedForAnotherUser() throws Exception {
        outcome = new BalanceLookup.Local<>(CommandOutcomeView.of("u1", "cmd-3", CommandOutcome.applied("u2", 1L)));

        mvc.perform(get("/balances/u1/commands/cmd-3"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("unknown"))
                .andExpect(jsonPath("$.reason").doesNotExist());
    }

    @Test
    void shouldAnswer503ForCommandWhileRestoring() throws Exception {
        outcome = new BalanceLookup.Unavailable<>("store is restoring");

        mvc.perform(get("/balances/u1/commands/cmd-1"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"));
    }
}
