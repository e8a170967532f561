package io.aicredits.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.infra.Closeables;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A repeated {@code Idempotency-Key} (docs/architecture.md, "Idempotency") against two gateway
 * instances on one real broker and metering stream: a retry after a provider failure runs again
 * and is charged once; a repeat of a success on the other instance (which never saw the key) gets
 * the same body back, marked replayed; a repeat while the first is in flight is told so.
 */
class IdempotencyEndToEndTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    private static final String TEXT = "{\"prompt\":\"Test\",\"tone\":\"friendly\",\"length\":\"short\"}";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static MeteringBackend backend;
    private static FakeOpenAi openAi;
    private static TestGateway first;
    private static TestGateway second;

    @BeforeAll
    static void start() {
        backend = MeteringBackend.start();
        openAi = new FakeOpenAi();
        Map<String, Object> provider = Map.of(
                "gateway.provider.mode", "auto",
                "gateway.provider.openai.base-url", openAi.baseUrl(),
                "gateway.provider.openai.api-key", "sk-e2e-test-key",
                "gateway.provider.openai.timeout", "5s");
        first = backend.startGateway(with(provider, "gateway.metering.reply-partition", 0));
        second = backend.startGateway(with(provider, "gateway.metering.reply-partition", 1));
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(base);
        all.put(key, value);
        return all;
    }

    @AfterEach
    void healthyAgain() {
        openAi.mode(FakeOpenAi.Mode.OK);
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(first, second, openAi, backend);
    }

    private static WebTestClient.ResponseSpec text(TestGateway gateway, String user, String key) {
        WebTestClient.RequestBodySpec post = gateway.http().post().uri("/api/ai/generate-text")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            post.header("Idempotency-Key", key);
        }
        return post.bodyValue(TEXT).exchange();
    }

    private static long credits(String user) {
        Map<String, Object> body = first.http().get().uri("/api/ai/credits")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        return ((Number) body.get("credits")).longValue();
    }

    private static Map<String, Object> parse(byte[] body) {
        return MAPPER.readValue(body, JSON_TYPE);
    }

    private static final tools.jackson.core.type.TypeReference<Map<String, Object>> JSON_TYPE =
            new tools.jackson.core.type.TypeReference<>() {
            };

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static List<UsageEvent> usageOf(String user) {
        return backend.usageMatching(usage -> usage.getUserId().equals(user));
    }

    @Test
    void shouldRunAgainAndChargeOnceWhenRetriedAfterProviderFailure() {
        // Given a request whose provider call failed: 502, nothing charged
        String user = "user-" + UUID.randomUUID();
        String key = "retry-" + UUID.randomUUID();
        openAi.mode(FakeOpenAi.Mode.FAIL_500);
        text(first, user, key).expectStatus().isEqualTo(502).expectBody()
                .jsonPath("$.message").value(String.class, message -> assertThat(message).contains("No credits were charged"));
        assertThat(backend.awaitUsage(usage -> usage.getUserId().equals(user)).getStatus()).isEqualTo(UsageStatus.FAILED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(credits(user)).isEqualTo(100));

        // When the provider is healthy again and the same key is retried
        openAi.mode(FakeOpenAi.Mode.OK);
        EntityExchangeResult<byte[]> retry = text(first, user, key).expectStatus().isOk()
                .expectBody(byte[].class).returnResult();

        // Then the call ran again, was answered as a first answer, and the request was charged once
        assertThat(retry.getResponseHeaders().getFirst("Idempotent-Replayed")).isNull();
        assertThat(parse(retry.getResponseBody()).get("variants")).isEqualTo(
                List.of("OpenAI variant 1", "OpenAI variant 2", "OpenAI variant 3"));
        UsageEvent succeeded = backend.awaitUsage(usage -> usage.getUserId().equals(user)
                && usage.getStatus() == UsageStatus.SUCCEEDED);
        assertThat(bytes(succeeded.getResponse())).isEqualTo(retry.getResponseBody());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(credits(user)).isEqualTo(99));
        assertThat(usageOf(user)).extracting(UsageEvent::getStatus)
                .containsExactly(UsageStatus.FAILED, UsageStatus.SUCCEEDED);
    }

    @Test
    void shouldAnswerSameBodyFromAnotherInstanceAndChargeOnce() {
        // Given a success with a key on the first instance
        String user = "user-" + UUID.randomUUID();
        String key = "replay-" + UUID.randomUUID();
        byte[] answered = text(first, user, key).expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        backend.awaitUsage(usage -> usage.getUserId().equals(user));

        // When the same key is sent to the second instance, which never saw it (a 409 "still being
        // processed" only until the stream has settled the first request's usage)
        EntityExchangeResult<byte[]> replay = await().atMost(Duration.ofSeconds(30)).until(() -> {
            EntityExchangeResult<byte[]> result = text(second, user, key).expectBody(byte[].class).returnResult();
            if (result.getStatus().value() != 200) {
                assertThat(result.getStatus().value()).isEqualTo(409);
                assertThat(parse(result.getResponseBody())).containsEntry("error", "REQUEST_IN_PROGRESS");
            }
            return result;
        }, result -> result.getStatus().value() == 200);

        // Then it answers the very same body (same generation_id and credits), marked as a replay
        assertThat(replay.getResponseBody()).isEqualTo(answered);
        assertThat(replay.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(parse(replay.getResponseBody())).containsEntry("credits_remaining", 99)
                .containsEntry("generation_id", parse(answered).get("generation_id"));
        // And the request was charged once, by one provider call
        assertThat(credits(user)).isEqualTo(99);
        assertThat(usageOf(user)).singleElement()
                .satisfies(usage -> assertThat(usage.getStatus()).isEqualTo(UsageStatus.SUCCEEDED));
        // And the first instance's own repeat agrees
        EntityExchangeResult<byte[]> local = text(first, user, key).expectStatus().isOk().expectBody(byte[].class).returnResult();
        assertThat(local.getResponseBody()).isEqualTo(answered);
        assertThat(local.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void shouldTellRepeatWhileFirstIsInFlightThatNothingWasCharged() {
        // Given a request whose provider call hangs (the gateway gives up after 5 s)
        String user = "user-" + UUID.randomUUID();
        String key = "inflight-" + UUID.randomUUID();
        openAi.mode(FakeOpenAi.Mode.HANG);
        int callsBefore = openAi.calls().size();
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() ->
                text(first, user, key).returnResult(byte[].class).getStatus().value());
        await().atMost(Duration.ofSeconds(20)).until(() -> openAi.calls().size() > callsBefore);

        // When the same key is sent to the other instance meanwhile
        Map<String, Object> conflict = text(second, user, key).expectStatus().isEqualTo(409)
                .expectBody(JSON).returnResult().getResponseBody();

        // Then it is told the first is still being processed and that nothing was charged for it
        assertThat(conflict).containsEntry("error", "REQUEST_IN_PROGRESS");
        assertThat((String) conflict.get("message")).contains("still being processed").contains("Nothing was charged");
        assertThat(running.join()).isEqualTo(502);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(credits(user)).isEqualTo(100));
    }

    @Test
    void shouldNotKeepResponseOfCallWithoutKey() {
        String user = "user-" + UUID.randomUUID();

        text(first, user, null).expectStatus().isOk();

        UsageEvent usage = backend.awaitUsage(event -> event.getUserId().equals(user));
        assertThat(usage.getStatus()).isEqualTo(UsageStatus.SUCCEEDED);
        assertThat(usage.getResponse()).isNull();
    }
}
