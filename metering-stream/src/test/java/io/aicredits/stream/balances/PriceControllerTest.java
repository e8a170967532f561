package io.aicredits.stream.balances;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** The HTTP contract of {@code GET /prices} (docs/architecture.md). */
class PriceControllerTest {

    private Optional<PriceList> answer = Optional.empty();
    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new PriceController(() -> answer)).build();

    @Test
    void shouldAnswerSnakeCasePricesByOperation() throws Exception {
        answer = Optional.of(new PriceList(Map.of(
                "image_generation", new PriceList.PriceView("ai_credits", 7, null, null),
                "ai_summary", new PriceList.PriceView("ai_tokens", 2, 1_000L, "gpt-4o"))));

        mvc.perform(get("/prices"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.prices.image_generation.pool").value("ai_credits"))
                .andExpect(jsonPath("$.prices.image_generation.credits").value(7))
                .andExpect(jsonPath("$.prices.ai_summary.tokens_per_credit").value(1000))
                .andExpect(jsonPath("$.prices.ai_summary.model").value("gpt-4o"));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileTheStreamIsNotRunning() throws Exception {
        mvc.perform(get("/prices"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"));
    }
}
