package io.aicredits.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.errors.RateLimitException;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.infra.Closeables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The OpenAI-compatible {@code /v1/chat/completions} driven by Spring AI's OpenAI chat model and
 * {@link ChatClient}, built by hand (no Spring AI auto-configuration, so nothing of it enters the
 * gateway's context). The gateway calls a local server speaking OpenAI's API ({@link FakeOpenAi});
 * the real metering stream holds and settles. Chat completions are token-priced in the
 * {@code ai_tokens} pool: 100 credits of 1,000 tokens for a new user, a hold rounded up to whole
 * credits, settled to {@code ceil((prompt + completion tokens) / 1,000)}.
 */
class SpringAiClientEndToEndTest {

    private static final String MODEL = "gpt-4o-mini";

    private static MeteringBackend backend;
    private static FakeOpenAi openAi;
    private static TestGateway gateway;
    /** Runs the OkHttp calls of every Spring AI client here, so that the test can stop them. */
    private static ExecutorService httpThreads;

    /** One HTTP exchange between Spring AI and the gateway, as the client's OkHttp saw it. */
    private record Exchange(String path, int status, String creditsRemaining) {
    }

    /** A Spring AI chat model for one user, the client on top of it and what went over its wire. */
    private record SpringAi(OpenAiChatModel model, ChatClient client, List<Exchange> exchanges) {
    }

    @BeforeAll
    static void start() {
        backend = MeteringBackend.start();
        openAi = new FakeOpenAi();
        gateway = backend.startGateway(Map.of(
                "gateway.provider.mode", "openai",
                "gateway.provider.openai.base-url", openAi.baseUrl(),
                "gateway.provider.openai.api-key", "sk-spring-ai-test-key",
                "gateway.provider.openai.timeout", "5s"));
        httpThreads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void healthyAgain() {
        openAi.mode(FakeOpenAi.Mode.OK);
        openAi.chunkDelay(0);
    }

    @AfterAll
    static void stop() {
        if (httpThreads != null) {
            httpThreads.shutdownNow();
        }
        Closeables.closeAll(gateway, openAi, backend);
    }

    /**
     * Spring AI as an application would set it up for the gateway: base URL {@code …/v1}, the
     * user's JWT as the API key, Spring AI's default retries (3) and timeout.
     */
    private static SpringAi springAi(String user) {
        List<Exchange> exchanges = new CopyOnWriteArrayList<>();
        OpenAiChatModel model = OpenAiChatModel.builder()
                .options(OpenAiChatOptions.builder()
                        .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
                        .apiKey(TestGateway.userToken(user))
                        .model(MODEL)
                        .build())
                .httpClientBuilderCustomizer(http -> http
                        .dispatcherExecutorService(httpThreads)
                        .interceptor(chain -> {
                            okhttp3.Response response = chain.proceed(chain.request());
                            exchanges.add(new Exchange(chain.request().url().encodedPath(), response.code(),
                                    response.header("x-credits-remaining")));
                            return response;
                        }))
                .build();
        return new SpringAi(model, ChatClient.create(model), exchanges);
    }

    @Test
    void shouldAnswerAPlainCallAndChargeTheSettledUsage() {
        // Given a new user with 100 ai_tokens credits
        String user = "spring-ai-" + UUID.randomUUID();
        SpringAi springAi = springAi(user);

        // When Spring AI's ChatClient asks for an answer of at most 1,000 tokens
        ChatResponse response = springAi.client().prompt().user("Say hello")
                .options(OpenAiChatOptions.builder().maxCompletionTokens(1000))
                .call().chatResponse();

        // Then it gets OpenAI's answer and the usage OpenAI reported
        assertThat(response.getResult().getOutput().getText()).isEqualTo("OpenAI variant 1");
        Usage usage = response.getMetadata().getUsage();
        assertThat(usage.getPromptTokens()).isEqualTo((int) FakeOpenAi.PROMPT_TOKENS);
        assertThat(usage.getCompletionTokens()).isEqualTo((int) FakeOpenAi.COMPLETION_TOKENS);
        assertThat(usage.getCacheReadInputTokens()).isEqualTo(FakeOpenAi.CACHED_TOKENS);
        // And one exchange held ceil((jtokkit prompt + 1,000) / 1,000) = 2 credits
        assertThat(springAi.exchanges()).containsExactly(new Exchange("/v1/chat/completions", 200, "98"));
        // And the usage row carries those tokens: (57 - 25) input + 153 output at $0.0006/1K + 25 cached at $0.0003/1K
        UsageEvent event = backend.awaitUsageOf(user);
        assertThat(event.getStatus()).isEqualTo(UsageStatus.SUCCEEDED);
        assertThat(event.getOperationType()).isEqualTo("chat_completion");
        assertThat(event.getModel()).isEqualTo(MODEL);
        assertThat(event.getTokensInput()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
        assertThat(event.getTokensOutput()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
        assertThat(event.getTokensCachedInput()).isEqualTo(FakeOpenAi.CACHED_TOKENS);
        assertThat(event.getCostUsdNanos()).isEqualTo(118_500L);
        // And the hold settles to ceil((57 + 153) / 1,000) = 1 credit
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.adminBalance(user, "ai_tokens")).isEqualTo(99));
        // And OpenAI got Spring AI's request with the gateway's key, not the user's token
        FakeOpenAi.Call call = openAi.calls().stream()
                .filter(c -> c.body().contains("Say hello") && c.body().contains("\"max_completion_tokens\":1000"))
                .reduce((first, last) -> last).orElseThrow();
        assertThat(call.authorization()).isEqualTo("Bearer sk-spring-ai-test-key");
        assertThat(call.body()).contains("\"model\":\"" + MODEL + "\"").doesNotContain("\"stream\":true");
    }

    @Test
    void shouldStreamChunkByChunkAndChargeTheStream() {
        // Given OpenAI sends a word every 100 ms
        String user = "spring-ai-stream-" + UUID.randomUUID();
        SpringAi springAi = springAi(user);
        openAi.chunkDelay(100);

        // When Spring AI's ChatClient streams the answer, noting when each piece arrives
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        List<ChatResponse> responses = springAi.client().prompt().user("Say hello").stream().chatResponse()
                .doOnNext(piece -> arrivals.add(System.nanoTime()))
                .collectList().block(Duration.ofSeconds(30));

        // Then the text arrives word by word, as OpenAI sent it, over about 700 ms rather than at once
        List<String> pieces = responses.stream().map(SpringAiClientEndToEndTest::text).filter(piece -> !piece.isEmpty()).toList();
        assertThat(pieces).containsExactly(FakeOpenAi.STREAMED.split("(?<= )"));
        assertThat(Duration.ofNanos(arrivals.get(arrivals.size() - 1) - arrivals.get(0))).isGreaterThan(Duration.ofMillis(400));
        // And Spring AI asked for usage on its own, so its last piece carries OpenAI's
        Usage usage = responses.get(responses.size() - 1).getMetadata().getUsage();
        assertThat(usage.getPromptTokens()).isEqualTo((int) FakeOpenAi.PROMPT_TOKENS);
        assertThat(usage.getCompletionTokens()).isEqualTo((int) FakeOpenAi.COMPLETION_TOKENS);
        // And the stream was held with the model's output limit: ceil((prompt + 16,384) / 1,000) = 17 credits
        assertThat(springAi.exchanges()).containsExactly(new Exchange("/v1/chat/completions", 200, "83"));
        // And it is charged the streamed usage: ceil(210 / 1,000) = 1 credit
        UsageEvent event = backend.awaitUsageOf(user);
        assertThat(event.getStatus()).isEqualTo(UsageStatus.SUCCEEDED);
        assertThat(event.getMetadata()).containsEntry("stream", "true");
        assertThat(event.getTokensInput()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
        assertThat(event.getTokensOutput()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.adminBalance(user, "ai_tokens")).isEqualTo(99));
    }

    @Test
    void shouldNeverOverspendWithConcurrentStreamsOfOneUser() {
        // Given streams of 2 choices of up to 16,000 tokens: ceil((prompt + 32,000) / 1,000) = 33 credits held each,
        // so only 3 fit in 100,
        // and OpenAI takes a second before answering, so every request is decided before any settles
        String user = "spring-ai-greedy-" + UUID.randomUUID();
        SpringAi springAi = springAi(user);
        openAi.mode(FakeOpenAi.Mode.SLOW);
        Prompt prompt = new Prompt("Say hello", OpenAiChatOptions.builder().model(MODEL).n(2).maxCompletionTokens(16_000).build());

        // When Spring AI's chat model starts 8 streams at once
        List<String> outcomes = Flux.range(0, 8)
                .flatMap(i -> springAi.model().stream(prompt).map(SpringAiClientEndToEndTest::text)
                        .collect(Collectors.joining())
                        .onErrorResume(SpringAiClientEndToEndTest::isRateLimit, refused -> Mono.just(refusal(refused))), 8)
                .collectList().block(Duration.ofSeconds(60));

        // Then exactly 3 are served and 5 refused with the 429 Spring AI surfaces
        assertThat(outcomes.stream().collect(Collectors.groupingBy(outcome -> outcome, Collectors.counting())))
                .isEqualTo(Map.of(FakeOpenAi.STREAMED, 3L, "429 insufficient_credits", 5L));
        // And each refusal was one request, not retried
        assertThat(springAi.exchanges()).extracting(Exchange::status).containsExactlyInAnyOrder(200, 200, 200, 429, 429, 429, 429, 429);
        // And each served stream settles to its usage (1 credit): 97 left, with 3 usage rows
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.adminBalance(user, "ai_tokens")).isEqualTo(97));
        assertThat(backend.usageMatching(event -> event.getUserId().equals(user))).hasSize(3);
    }

    @Test
    void shouldSurfaceRunningOutOfCreditsAs429() {
        // Given a user whose ai_tokens credits an admin took down to 0
        String user = "spring-ai-broke-" + UUID.randomUUID();
        gateway.http().post().uri("/api/admin/credits/" + user + "/deduct")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.adminToken("admin"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("credits", 100, "credit_type", "ai_tokens"))
                .exchange().expectStatus().isOk();
        assertThat(gateway.adminBalance(user, "ai_tokens")).isZero();
        SpringAi springAi = springAi(user);
        int callsBefore = openAi.calls().size();
        OpenAiChatOptions.Builder upTo1000Tokens = OpenAiChatOptions.builder().maxCompletionTokens(1000);

        // When Spring AI calls, then it throws the OpenAI SDK's RateLimitException with the gateway's reason
        assertThatThrownBy(() -> springAi.client().prompt().user("Say hello").options(upTo1000Tokens).call().content())
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.type()).contains("insufficient_quota");
                    assertThat(e.code()).contains("insufficient_credits");
                    assertThat(e.getMessage()).contains("Insufficient AI credits. You have 0 credits, but need 2.");
                });
        // And a stream fails before any text with the same error, which Spring AI passes on as the cause of the
        // CompletionException that ended the SDK's asynchronous call
        List<String> streamed = new ArrayList<>();
        assertThatThrownBy(() -> springAi.client().prompt().user("Say hello").options(upTo1000Tokens).stream().content()
                .doOnNext(streamed::add).blockLast(Duration.ofSeconds(30)))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.type()).contains("insufficient_quota");
                    assertThat(e.code()).contains("insufficient_credits");
                    assertThat(e.getMessage()).contains("Insufficient AI credits. You have 0 credits, but need 2.");
                });
        assertThat(streamed).isEmpty();

        // And Spring AI's retries did not repeat either refusal, OpenAI was never called, nothing was charged
        assertThat(springAi.exchanges()).extracting(Exchange::status).containsExactly(429, 429);
        assertThat(openAi.calls()).hasSize(callsBefore);
        assertThat(gateway.adminBalance(user, "ai_tokens")).isZero();
    }

    /** How Spring AI's stream surfaces a 429: the SDK's asynchronous call fails with it as the cause. */
    private static boolean isRateLimit(Throwable surfaced) {
        return surfaced instanceof CompletionException && surfaced.getCause() instanceof RateLimitException;
    }

    private static String refusal(Throwable surfaced) {
        RateLimitException refused = (RateLimitException) surfaced.getCause();
        return refused.statusCode() + " " + refused.code().orElse("?");
    }

    /** The text of one streamed piece; the usage piece has no choice and no text. */
    private static String text(ChatResponse piece) {
        Generation generation = piece.getResult();
        String text = generation == null ? null : generation.getOutput().getText();
        return text == null ? "" : text;
    }
}
