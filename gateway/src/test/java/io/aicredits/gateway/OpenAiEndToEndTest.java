package io.aicredits.gateway;

import io.aicredits.infra.Closeables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import java.util.List;

/**
 * The OpenAI provider end to end: a gateway configured with an API key talks to a local server
 * that speaks OpenAI's API; the real stream meters it. Usage events carry OpenAI's token counts
 * and the USD cost from the price table; a 500 or a timeout releases the hold.
 */
class OpenAiEndToEndTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    private static final String TEXT = "{\"prompt\":\"Test\",\"tone\":\"friendly\",\"length\":\"short\"}";

    private static MeteringBackend backend;
    private static FakeOpenAi openAi;
    private static TestGateway gateway;
    private static WebTestClient http;

    @BeforeAll
    static void start() throws Exception {
        backend = MeteringBackend.start();
        openAi = new FakeOpenAi();
        gateway = backend.startGateway(Map.of(
                "gateway.metering.reply-partition", 1,
                "gateway.provider.mode", "auto",
                "gateway.provider.openai.base-url", openAi.baseUrl(),
                "gateway.provider.openai.api-key", "sk-e2e-test-key",
                "gateway.provider.openai.timeout", "5s"));
        http = gateway.http();
    }

    @AfterEach
    void healthyAgain() {
        openAi.mode(FakeOpenAi.Mode.OK);
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gateway, openAi, backend);
    }

    private static WebTestClient.ResponseSpec text(String user) {
        return http.post().uri("/api/ai/generate-text").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(TEXT).exchange();
    }

    private static long credits(String user) {
        Map<String, Object> body = http.get().uri("/api/ai/credits").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        return ((Number) body.get("credits")).longValue();
    }

    @Test
    void shouldPublishOpenAiTokensAndUsdCost() {
        // Given a new user
        String user = "user-" + UUID.randomUUID();

        // When they generate text through OpenAI
        Map<String, Object> answer = text(user).expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();

        // Then OpenAI's three choices come back and 99 credits remain
        assertThat(answer.get("variants")).isEqualTo(java.util.List.of("OpenAI variant 1", "OpenAI variant 2", "OpenAI variant 3"));
        assertThat(((Number) answer.get("credits_remaining")).longValue()).isEqualTo(99);
        // And the usage event carries OpenAI's usage and its USD cost:
        // (57 + 153) tokens of gpt-4o-mini at $0.0006/1K = $0.000126 = 126 000 nano-USD
        UsageEvent usage = backend.awaitUsage(event -> event.getUserId().equals(user));
        assertThat(usage.getStatus()).isEqualTo(UsageStatus.SUCCEEDED);
        assertThat(usage.getModel()).isEqualTo("gpt-4o-mini");
        assertThat(usage.getOperationType()).isEqualTo("text_generation");
        assertThat(usage.getTokensInput()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
        assertThat(usage.getTokensOutput()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
        assertThat(usage.getCostUsdNanos()).isEqualTo(126_000L);
        assertThat(usage.getMetadata()).containsEntry("provider", "openai");
        // And the key went to OpenAI as a bearer token
        assertThat(openAi.calls()).anySatisfy(call -> assertThat(call.authorization()).isEqualTo("Bearer sk-e2e-test-key"));
    }

    @Test
    void shouldPublishWhisperAudioSecondsAndCost() {
        String user = "user-" + UUID.randomUUID();
        org.springframework.http.client.MultipartBodyBuilder parts = new org.springframework.http.client.MultipartBodyBuilder();
        parts.part("file", new org.springframework.core.io.ByteArrayResource(new byte[] {1, 2, 3, 4}) {
            @Override
            public String getFilename() {
                return "note.m4a";
            }
        });

        http.post().uri("/api/ai/operations/voice_to_text").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(org.springframework.web.reactive.function.BodyInserters.fromMultipartData(parts.build()))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.result").isEqualTo("Hello from the voice note.");

        // 90.2 s → 91 s at $0.006/min = $0.0091
        UsageEvent usage = backend.awaitUsage(event -> event.getUserId().equals(user));
        assertThat(usage.getModel()).isEqualTo("whisper-1");
        assertThat(usage.getAudioSeconds()).isEqualTo(91);
        assertThat(usage.getCostUsdNanos()).isEqualTo(9_100_000L);
    }

    @Test
    void shouldServeManyRequestsInFlightAtOnce() {
        // Given OpenAI takes 1 s per completion, and 150 users asking at the same moment
        openAi.mode(FakeOpenAi.Mode.SLOW);
        int users = 150;
        WebClient client = WebClient.builder().baseUrl("http://127.0.0.1:" + gateway.port()).build();
        long started = System.nanoTime();

        // When all requests are sent concurrently
        List<Long> remaining = Flux.range(0, users)
                .flatMap(i -> client.post().uri("/api/ai/generate-text")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("crowd-" + i + "-" + UUID.randomUUID()))
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(TEXT)
                        .retrieve().bodyToMono(JSON)
                        .map(body -> ((Number) body.get("credits_remaining")).longValue())
                        // A failed call counts as -1, so every call has finished before the assertions.
                        .onErrorResume(error -> reactor.core.publisher.Mono.just(-1L)), users)
                .collectList()
                .block(Duration.ofSeconds(120));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        // Then every one succeeds, and they waited on OpenAI together: far less than one after another
        // (150 × 1 s = 150 s), and less than two event-loop threads could do blocking (75 s)
        assertThat(remaining).hasSize(users).containsOnly(99L);
        assertThat(elapsed).isLessThan(Duration.ofSeconds(40));
    }

    @Test
    void shouldReleaseHoldWhenOpenAiFails() {
        // Given OpenAI answers 500
        String user = "user-" + UUID.randomUUID();
        openAi.mode(FakeOpenAi.Mode.FAIL_500);

        // When the user generates text
        text(user).expectStatus().isEqualTo(502).expectBody()
                .jsonPath("$.statusCode").isEqualTo(502)
                .jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .contains("AI provider failed").contains("HTTP 500").contains("No credits were charged"));

        // Then a FAILED usage event is published and the credits are untouched
        UsageEvent usage = backend.awaitUsage(event -> event.getUserId().equals(user));
        assertThat(usage.getStatus()).isEqualTo(UsageStatus.FAILED);
        assertThat(usage.getCostUsdNanos()).isZero();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(credits(user)).isEqualTo(100));
    }

    @Test
    void shouldReleaseHoldWhenOpenAiTimesOut() {
        // Given OpenAI never answers (the gateway waits 5 s)
        String user = "user-" + UUID.randomUUID();
        openAi.mode(FakeOpenAi.Mode.HANG);

        // When the user generates text
        text(user).expectStatus().isEqualTo(502).expectBody()
                .jsonPath("$.message").value(String.class, message -> assertThat(message).contains("did not answer within 5 s"));

        // Then the hold is released: credits unchanged
        assertThat(backend.awaitUsage(event -> event.getUserId().equals(user)).getStatus()).isEqualTo(UsageStatus.FAILED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(credits(user)).isEqualTo(100));
    }
}
