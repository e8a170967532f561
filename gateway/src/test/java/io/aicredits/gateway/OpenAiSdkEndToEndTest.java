package io.aicredits.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.gateway.provider.SandboxProvider;
import io.aicredits.infra.Closeables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The OpenAI-compatible {@code /v1} endpoints driven by the official OpenAI Java SDK: one gateway
 * calls a local server speaking OpenAI's API (SSE streams, a connection cut mid-stream), another
 * answers from the sandbox provider; the real metering stream holds and settles. Chat completions
 * are token-priced in the {@code ai_tokens} pool (100 credits of 1,000 tokens for a new user).
 */
class OpenAiSdkEndToEndTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    private static MeteringBackend backend;
    private static FakeOpenAi openAi;
    private static TestGateway gateway;
    private static TestGateway sandbox;

    @BeforeAll
    static void start() throws Exception {
        backend = MeteringBackend.start();
        openAi = new FakeOpenAi();
        gateway = backend.startGateway(Map.of(
                "gateway.metering.reply-partition", 1,
                "gateway.provider.mode", "openai",
                "gateway.provider.openai.base-url", openAi.baseUrl(),
                "gateway.provider.openai.api-key", "sk-sdk-test-key",
                "gateway.provider.openai.timeout", "5s"));
        sandbox = backend.startGateway(Map.of("gateway.metering.reply-partition", 0));
    }

    @AfterEach
    void healthyAgain() {
        openAi.mode(FakeOpenAi.Mode.OK);
        openAi.chunkDelay(0);
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gateway, sandbox, openAi, backend);
    }

    private static OpenAIClient sdk(TestGateway target, String user) {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + target.port() + "/v1")
                .apiKey(TestGateway.userToken(user))
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private static ChatCompletionCreateParams.Builder hello() {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Say hello");
    }

    @Test
    void shouldAnswerTheSdkAndSettleToTheReportedUsage() {
        // Given a new user with 100 ai_tokens credits
        String user = "sdk-" + UUID.randomUUID();

        // When the SDK asks for a completion of at most 1,000 tokens
        HttpResponseFor<ChatCompletion> response = sdk(gateway, user).chat().completions().withRawResponse()
                .create(hello().maxCompletionTokens(1000).build());
        ChatCompletion completion = response.parse();

        // Then OpenAI's answer and usage come back unchanged
        assertThat(completion.choices().get(0).message().content()).contains("OpenAI variant 1");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
        assertThat(completion.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens()).contains(FakeOpenAi.CACHED_TOKENS);
        // And the hold was the jtokkit prompt count plus max tokens: ceil((prompt + 1000) / 1000) = 2 credits
        assertThat(response.headers().values("x-credits-remaining")).containsExactly("98");
        // And the usage row carries the provider's tokens and their cost, cached prompt tokens at half price:
        // (57 - 25) input + 153 output at $0.0006/1K + 25 cached at $0.0003/1K = $0.0001185 = 118,500 nano-USD
        UsageEvent usage = backend.awaitUsageOf(user);
        assertThat(usage.getStatus()).isEqualTo(UsageStatus.SUCCEEDED);
        assertThat(usage.getOperationType()).isEqualTo("chat_completion");
        assertThat(usage.getModel()).isEqualTo("gpt-4o-mini");
        assertThat(usage.getTokensInput()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
        assertThat(usage.getTokensOutput()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
        assertThat(usage.getTokensCachedInput()).isEqualTo(FakeOpenAi.CACHED_TOKENS);
        assertThat(usage.getCostUsdNanos()).isEqualTo(118_500L);
        // And the hold settles to ceil(210 / 1000) = 1 credit
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.adminBalance(user, "ai_tokens")).isEqualTo(99));
        // And OpenAI got the request as sent, with the gateway's key
        FakeOpenAi.Call call = openAi.calls().stream().filter(c -> c.body().contains("Say hello")).reduce((a, b) -> b).orElseThrow();
        assertThat(call.authorization()).isEqualTo("Bearer sk-sdk-test-key");
        assertThat(call.body()).contains("\"max_completion_tokens\":1000").contains("\"model\":\"gpt-4o-mini\"");
    }

    @Test
    void shouldListThePricedModels() {
        OpenAIClient client = sdk(gateway, "lister");

        List<String> ids = client.models().list().data().stream().map(Model::id).toList();

        assertThat(ids).contains("gpt-4o-mini", "gpt-4o", "gpt-4", "whisper-1", "dall-e-3");
        assertThat(client.models().retrieve("gpt-4o").id()).isEqualTo("gpt-4o");
        assertThatThrownBy(() -> client.models().retrieve("gpt-unknown")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void shouldAnswer429WhenTheHoldExceedsTheCredits() {
        // Given a new user (100 credits) and 7 choices without max tokens: 7 × 16,384 tokens held = 115 credits
        String user = "poor-" + UUID.randomUUID();
        int callsBefore = openAi.calls().size();
        // An SDK with its default retries: x-should-retry: false stops it from retrying the refusal
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1").apiKey(TestGateway.userToken(user)).build();

        // When the SDK asks, then it surfaces OpenAI's quota error
        assertThatThrownBy(() -> client.chat().completions().create(hello().n(7).build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.type()).contains("insufficient_quota");
                    assertThat(e.code()).contains("insufficient_credits");
                    assertThat(e.getMessage()).contains("Insufficient AI credits. You have 100 credits, but need 115.");
                    assertThat(e.headers().values("x-should-retry")).containsExactly("false");
                });
        // And OpenAI was never called, nothing was charged
        assertThat(openAi.calls()).hasSize(callsBefore);
        assertThat(gateway.adminBalance(user, "ai_tokens")).isEqualTo(100);
    }

    @Test
    void shouldRefuseBadInputAndUnknownModelsInOpenAisErrorFormat() {
        OpenAIClient client = sdk(gateway, "careless-" + UUID.randomUUID());

        assertThatThrownBy(() -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("gpt-4o-mini").messages(List.of()).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).contains("messages");
                    assertThat(e.type()).contains("invalid_request_error");
                });
        assertThatThrownBy(() -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("gpt-unknown").addUserMessage("Hi").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).contains("model_not_found");
                    assertThat(e.getMessage()).contains("The model `gpt-unknown` does not exist or you do not have access to it.");
                });
        assertThatThrownBy(() -> client.chat().completions().create(hello().maxCompletionTokens(20_000).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("max_completion_tokens"));
        assertThatThrownBy(() -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("whisper-1").addUserMessage("Hi").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("not a chat model"));

        WebTestClient http = gateway.http();
        http.post().uri("/v1/chat/completions").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("careless"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"model\":")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.type").isEqualTo("invalid_request_error")
                .jsonPath("$.error.message").value(String.class, m -> assertThat(m).contains("could not parse the JSON body"));
        http.post().uri("/v1/chat/completions").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("careless"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"king\",\"content\":\"x\"}]}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error.param").isEqualTo("messages[0].role");
        http.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void shouldPassOnAProviderFailureAs502AndReleaseTheHold() {
        String user = "unlucky-" + UUID.randomUUID();
        openAi.mode(FakeOpenAi.Mode.FAIL_500);

        assertThatThrownBy(() -> sdk(gateway, user).chat().completions().create(hello().build()))
                .isInstanceOfSatisfying(com.openai.errors.OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.code()).contains("provider_failed");
                });
        assertThat(backend.awaitUsageOf(user).getStatus()).isEqualTo(UsageStatus.FAILED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.adminBalance(user, "ai_tokens")).isEqualTo(100));
    }

    @Test
    void shouldStreamChunksAndPassTheUsageChunkOnlyWhenAsked() {
        String quiet = "stream-" + UUID.randomUUID();
        String asking = "stream-usage-" + UUID.randomUUID();

        // When one client streams without asking for usage and another asks for it
        List<ChatCompletionChunk> withoutUsage;
        try (StreamResponse<ChatCompletionChunk> stream = sdk(gateway, quiet).chat().completions()
                .createStreaming(hello().build())) {
            withoutUsage = stream.stream().toList();
        }
        List<ChatCompletionChunk> withUsage;
        try (StreamResponse<ChatCompletionChunk> stream = sdk(gateway, asking).chat().completions()
                .createStreaming(hello().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            withUsage = stream.stream().toList();
        }

        // Then both get the streamed text; only the asking one gets the usage chunk
        assertThat(text(withoutUsage)).isEqualTo(FakeOpenAi.STREAMED);
        assertThat(text(withUsage)).isEqualTo(FakeOpenAi.STREAMED);
        assertThat(withoutUsage).noneMatch(chunk -> chunk.usage().isPresent());
        assertThat(withUsage.get(withUsage.size() - 1).usage().orElseThrow().completionTokens()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
        // And the gateway asked OpenAI for usage both times, so both settle to it
        assertThat(openAi.calls().stream().filter(call -> call.body().contains("\"stream\":true")))
                .allSatisfy(call -> assertThat(call.body()).contains("\"include_usage\":true"));
        for (String user : List.of(quiet, asking)) {
            UsageEvent usage = backend.awaitUsageOf(user);
            assertThat(usage.getTokensInput()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
            assertThat(usage.getTokensOutput()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
            assertThat(usage.getTokensCachedInput()).isEqualTo(FakeOpenAi.CACHED_TOKENS);
            assertThat(usage.getMetadata()).containsEntry("stream", "true");
        }
    }

    @Test
    void shouldSettleAStreamTheClientCut() {
        // Given a slow stream (100 ms per chunk)
        String user = "impatient-" + UUID.randomUUID();
        openAi.chunkDelay(100);

        // When the client reads the first chunks and hangs up
        try (StreamResponse<ChatCompletionChunk> stream = sdk(gateway, user).chat().completions().createStreaming(hello().build())) {
            assertThat(stream.stream().limit(2).count()).isEqualTo(2);
        }

        // Then the gateway still reads the stream to its end and records the provider's usage
        UsageEvent usage = backend.awaitUsageOf(user);
        assertThat(usage.getStatus()).isEqualTo(UsageStatus.SUCCEEDED);
        assertThat(usage.getTokensInput()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
        assertThat(usage.getTokensOutput()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.adminBalance(user, "ai_tokens")).isEqualTo(99));
    }

    @Test
    void shouldChargeWhatWasStreamedWhenTheProviderCutsTheStream() {
        // Given OpenAI drops the connection after two chunks, before any usage
        String user = "dropped-" + UUID.randomUUID();
        openAi.mode(FakeOpenAi.Mode.CUT);

        // When the client streams
        List<String> received = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = sdk(gateway, user).chat().completions().createStreaming(hello().build())) {
            stream.stream().forEach(chunk -> received.add(text(List.of(chunk))));
        } catch (RuntimeException endedBadly) {
            // The SDK may surface the error event; what was streamed is what counts.
        }

        // Then the usage row counts the streamed text with jtokkit ("OpenAI streamed ") and the prompt
        UsageEvent usage = backend.awaitUsageOf(user);
        assertThat(usage.getStatus()).isEqualTo(UsageStatus.SUCCEEDED);
        assertThat(usage.getTokensOutput()).isEqualTo(SandboxProvider.countTokens("OpenAI streamed "));
        assertThat(usage.getTokensInput()).isPositive();
        assertThat(String.join("", received)).isEqualTo("OpenAI streamed ");
    }

    @Test
    void shouldNeverOverspendWithConcurrentStreamsOfOneUser() throws Exception {
        // Given streams of 2 choices of up to 16,000 tokens: ceil((prompt + 32,000) / 1,000) = 33 credits held each,
        // so only 3 fit in 100,
        // and OpenAI takes a second before answering, so every request is decided before any settles
        String user = "greedy-" + UUID.randomUUID();
        openAi.mode(FakeOpenAi.Mode.SLOW);
        OpenAIClient client = sdk(gateway, user);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            // When 8 streams start at once
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                outcomes.add(pool.submit(() -> {
                    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                            .createStreaming(hello().n(2).maxCompletionTokens(16_000).build())) {
                        return text(stream.stream().toList());
                    } catch (RateLimitException refused) {
                        // Readable although the SDK asked for text/event-stream: errors are JSON.
                        return refused.statusCode() + " " + refused.code().orElse("?");
                    }
                }));
            }
            List<String> answers = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                answers.add(outcome.get());
            }

            // Then exactly 3 are served and 5 refused with 429
            assertThat(answers.stream().collect(Collectors.groupingBy(a -> a, Collectors.counting())))
                    .isEqualTo(Map.of(FakeOpenAi.STREAMED, 3L, "429 insufficient_credits", 5L));
        } finally {
            pool.shutdownNow();
        }
        // And each settles to its usage (1 credit): 97 left
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.adminBalance(user, "ai_tokens")).isEqualTo(97));
        assertThat(backend.usageMatching(event -> event.getUserId().equals(user))).hasSize(3);
    }

    @Test
    void shouldMeterEmbeddingsImagesAndTranscriptionsFromTheSdk() throws Exception {
        String user = "media-" + UUID.randomUUID();
        OpenAIClient client = sdk(gateway, user);

        // Embeddings: the provider's vector; 8 tokens of text-embedding-3-small at $0.00002/1K = 160 nano-USD
        com.openai.models.embeddings.CreateEmbeddingResponse embeddings = client.embeddings().create(
                com.openai.models.embeddings.EmbeddingCreateParams.builder().model("text-embedding-3-small").input("hello world").build());
        assertThat(embeddings.data().get(0).embedding()).containsExactly(0.125f, -0.25f, 0.5f);
        assertThat(embeddings.usage().promptTokens()).isEqualTo(FakeOpenAi.EMBEDDING_TOKENS);
        UsageEvent embedding = backend.awaitUsage(event -> event.getUserId().equals(user) && event.getOperationType().equals("embedding"));
        assertThat(embedding.getTokensInput()).isEqualTo(FakeOpenAi.EMBEDDING_TOKENS);
        assertThat(embedding.getCostUsdNanos()).isEqualTo(160L);

        // Images: b64_json decoded by the SDK; one dall-e-3 image = $0.04, 5 credits of ai_credits
        com.openai.models.images.ImagesResponse image = client.images().generate(com.openai.models.images.ImageGenerateParams.builder()
                .model("dall-e-3").prompt("A lighthouse").size(com.openai.models.images.ImageGenerateParams.Size._1024X1024)
                .responseFormat(com.openai.models.images.ImageGenerateParams.ResponseFormat.B64_JSON).build());
        assertThat(java.util.Base64.getDecoder().decode(image.data().orElseThrow().get(0).b64Json().orElseThrow()))
                .isEqualTo(FakeOpenAi.PNG);
        UsageEvent generated = backend.awaitUsage(event -> event.getUserId().equals(user) && event.getOperationType().equals("image_generation"));
        assertThat(generated.getImages()).isEqualTo(1);
        assertThat(generated.getCostUsdNanos()).isEqualTo(40_000_000L);

        // Transcriptions: multipart upload; 90.2 s → 91 s of whisper-1 at $0.006/min = $0.0091
        com.openai.models.audio.transcriptions.TranscriptionCreateResponse transcription = client.audio().transcriptions().create(
                com.openai.models.audio.transcriptions.TranscriptionCreateParams.builder()
                        .file(java.nio.file.Files.write(backend.workDir().resolve("note.m4a"), new byte[] {1, 2, 3, 4}))
                        .model("whisper-1").build());
        assertThat(transcription.asTranscription().text()).isEqualTo("Hello from the voice note.");
        UsageEvent heard = backend.awaitUsage(event -> event.getUserId().equals(user) && event.getOperationType().equals("voice_to_text"));
        assertThat(heard.getAudioSeconds()).isEqualTo(91);
        assertThat(heard.getCostUsdNanos()).isEqualTo(9_100_000L);
        assertThat(heard.getMetadata()).containsEntry("endpoint", "/v1/audio/transcriptions");

        // And the credits: ai_tokens 100 - 1 (embedding) - 2 (transcription), ai_credits 100 - 5 (image)
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.adminBalance(user, "ai_tokens")).isEqualTo(97));
        // And what the gateway does not offer is refused in OpenAI's format
        assertThatThrownBy(() -> client.images().generate(com.openai.models.images.ImageGenerateParams.builder()
                .model("dall-e-3").prompt("A lighthouse").responseFormat(com.openai.models.images.ImageGenerateParams.ResponseFormat.URL).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("response_format"));
        assertThatThrownBy(() -> client.embeddings().create(
                com.openai.models.embeddings.EmbeddingCreateParams.builder().model("gpt-4").input("x").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("not an embedding model"));
    }

    @Test
    void sandboxShouldAnswerTheSameEndpointsWithoutAKey() {
        String user = "sandboxed-" + UUID.randomUUID();
        OpenAIClient client = sdk(sandbox, user);

        ChatCompletion completion = client.chat().completions().create(hello().build());
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                hello().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            chunks = stream.stream().toList();
        }

        assertThat(completion.choices().get(0).message().content()).contains("[sandbox] Say hello");
        long completionTokens = SandboxProvider.countTokens("[sandbox] Say hello");
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(completionTokens);
        assertThat(text(chunks)).isEqualTo("[sandbox] Say hello");
        assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().completionTokens()).isEqualTo(completionTokens);
        assertThat(sdk(sandbox, user).models().list().data()).extracting(Model::id).contains("gpt-4o-mini");
        assertThat(client.embeddings().create(com.openai.models.embeddings.EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("hello").build()).data().get(0).embedding()).hasSize(8);
        assertThat(backend.awaitUsage(event -> event.getUserId().equals(user) && "true".equals(event.getMetadata().get("stream")))
                .getMetadata()).containsEntry("provider", "sandbox");
    }

    @Test
    void shouldServeApiKeysThatAnAdminCreatesOnEveryInstanceUntilRevoked() {
        // Given a super admin creates a key for a user on one gateway instance
        String user = "keyed-" + UUID.randomUUID();
        WebTestClient admin = gateway.http();
        String adminAuth = "Bearer " + TestGateway.adminToken("root");
        Map<String, Object> created = admin.post().uri("/api/admin/api-keys").header(HttpHeaders.AUTHORIZATION, adminAuth)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("user_id", user, "name", "batch job"))
                .exchange().expectStatus().isCreated().expectBody(JSON).returnResult().getResponseBody();
        String secret = (String) created.get("key");
        String keyId = (String) created.get("id");
        assertThat(secret).startsWith("sk-aic-").hasSizeGreaterThan(40);
        assertThat(created).containsEntry("user_id", user).containsEntry("name", "batch job").containsEntry("created_by", "root");

        // Then the list shows it without the secret
        admin.get().uri("/api/admin/api-keys?user_id=" + user).header(HttpHeaders.AUTHORIZATION, adminAuth)
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.api_keys.length()").isEqualTo(1)
                .jsonPath("$.api_keys[0].id").isEqualTo(keyId)
                .jsonPath("$.api_keys[0].prefix").isEqualTo(secret.substring(0, 13))
                .jsonPath("$.api_keys[0].key").doesNotExist();
        // And the topic holds only the secret's hash
        assertThat(apiKeyRecords()).noneMatch(bytes -> new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret));

        // When the SDK uses the key as its API key, on the other instance too
        OpenAIClient withKey = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + sandbox.port() + "/v1")
                .apiKey(secret).maxRetries(0).build();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .untilAsserted(() -> assertThat(withKey.chat().completions().create(hello().build()).choices()).hasSize(1));

        // Then the call is the user's and its usage row names the key (not the secret)
        UsageEvent usage = backend.awaitUsageOf(user);
        assertThat(usage.getMetadata()).containsEntry("api_key_id", keyId);
        assertThat(usage.getMetadata().values()).noneMatch(value -> value.contains(secret));
        // And a key never opens the admin endpoints
        sandbox.http().get().uri("/api/admin/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + secret)
                .exchange().expectStatus().isForbidden();
        // And a user cannot create keys
        admin.post().uri("/api/admin/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("user_id", user))
                .exchange().expectStatus().isForbidden();

        // When the admin revokes it, then the SDK is refused with 401 on every instance
        admin.delete().uri("/api/admin/api-keys/" + keyId).header(HttpHeaders.AUTHORIZATION, adminAuth)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.revoked_by").isEqualTo("root");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThatThrownBy(() -> withKey.models().list())
                .isInstanceOf(com.openai.errors.UnauthorizedException.class));
        gateway.http().get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer " + secret)
                .exchange().expectStatus().isUnauthorized();
        admin.delete().uri("/api/admin/api-keys/key-unknown").header(HttpHeaders.AUTHORIZATION, adminAuth)
                .exchange().expectStatus().isNotFound();
        admin.post().uri("/api/admin/api-keys").header(HttpHeaders.AUTHORIZATION, adminAuth)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "no user"))
                .exchange().expectStatus().isBadRequest();
    }

    private static List<byte[]> apiKeyRecords() {
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                Map.of("bootstrap.servers", backend.bootstrapServers(), "auto.offset.reset", "earliest",
                        "group.id", "api-key-check-" + UUID.randomUUID()),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(io.aicredits.schemas.Topics.API_KEYS.name()));
            List<byte[]> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
                return !values.isEmpty();
            });
            return values;
        }
    }

    private static String text(List<ChatCompletionChunk> chunks) {
        return chunks.stream().flatMap(chunk -> chunk.choices().stream())
                .map(choice -> choice.delta().content().orElse(""))
                .collect(Collectors.joining());
    }
}
