package io.aicredits.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aicredits.gateway.FakeOpenAi;
import io.aicredits.gateway.GatewayProperties;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

class OpenAiProviderTest {

    private static final String KEY = "sk-test-secret-key-123";

    private final FakeOpenAi openAi = new FakeOpenAi();
    private final OpenAiProvider provider = new OpenAiProvider(WebClient.builder(),
            new GatewayProperties.OpenAi(openAi.baseUrl(), KEY, Duration.ofSeconds(2), 50));

    @AfterEach
    void stop() {
        openAi.close();
    }

    @Test
    void shouldReturnChoicesAndUsageOfChatCompletion() {
        // When asking for three variants
        AiProvider.ChatResult result = provider.chat("gpt-4o-mini", "system", "Write a slogan", 3, 100).block();

        // Then the three choices and OpenAI's token usage come back, and the key was sent as bearer token
        assertThat(result.choices()).containsExactly("OpenAI variant 1", "OpenAI variant 2", "OpenAI variant 3");
        assertThat(result.promptTokens()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
        assertThat(result.completionTokens()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
        assertThat(openAi.calls()).singleElement().satisfies(call -> {
            assertThat(call.path()).isEqualTo("/v1/chat/completions");
            assertThat(call.authorization()).isEqualTo("Bearer " + KEY);
            assertThat(call.body()).contains("\"model\":\"gpt-4o-mini\"", "\"n\":3", "Write a slogan");
        });
    }

    @Test
    void shouldDecodeGeneratedImage() {
        // When generating an image
        AiProvider.ImageResult image = provider.image("dall-e-3", "A cat", 1024, 1024).block();

        // Then the base64 payload is decoded and the size was requested as WxH
        assertThat(image.bytes()).isEqualTo(FakeOpenAi.PNG);
        assertThat(openAi.calls()).singleElement().satisfies(call ->
                assertThat(call.body()).contains("\"size\":\"1024x1024\"", "\"response_format\":\"b64_json\""));
    }

    @Test
    void shouldRoundAudioDurationUpToWholeSeconds() {
        // When transcribing an upload
        AiProvider.TranscriptionResult result = provider.transcribe("whisper-1", new byte[] {1, 2, 3}, "note.m4a").block();

        // Then the text and the duration (90.2 s → 91 s) come back, sent as multipart with the model
        assertThat(result.text()).isEqualTo("Hello from the voice note.");
        assertThat(result.audioSeconds()).isEqualTo(91);
        assertThat(openAi.calls()).singleElement().satisfies(call ->
                assertThat(call.body()).contains("name=\"model\"", "whisper-1", "filename=\"note.m4a\""));
    }

    @Test
    void shouldFailClearlyOnServerErrorWithoutLeakingKey() {
        // Given OpenAI answers 500
        openAi.mode(FakeOpenAi.Mode.FAIL_500);

        // When / Then the failure names the status and OpenAI's message, never the key
        assertThatThrownBy(() -> provider.chat("gpt-4o-mini", "s", "p", 3, 100).block())
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("HTTP 500")
                .hasMessageContaining("The server had an error")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void shouldFailClearlyOnTimeout() {
        // Given OpenAI never answers
        openAi.mode(FakeOpenAi.Mode.HANG);

        // When / Then the call fails after the configured timeout
        assertThatThrownBy(() -> provider.chat("gpt-4o-mini", "s", "p", 3, 100).block())
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("did not answer within 2 s");
    }

    @Test
    void shouldNotNameTheProviderHostWhenItCannotBeReached() {
        // Given an OpenAI base URL nothing listens on
        OpenAiProvider unreachable = new OpenAiProvider(WebClient.builder(),
                new GatewayProperties.OpenAi("http://127.0.0.1:1/v1", KEY, Duration.ofSeconds(2), 5));

        // When / Then the failure says what happened, not where
        assertThatThrownBy(() -> unreachable.chat("gpt-4o-mini", "s", "p", 1, 10).block())
                .isInstanceOf(ProviderException.class)
                .hasMessageStartingWith("OpenAI chat completion could not be reached")
                .satisfies(e -> assertThat(ProviderException.publicMessage(e)).doesNotContain("127.0.0.1").doesNotContain(":1"));
    }

    @Test
    void shouldStripUrlsAndAddressesFromWhatUsersSee() {
        assertThat(ProviderException.publicMessage(new ProviderException(
                "failed for POST https://10.1.2.3:8443/v1/chat/completions via proxy.internal.example:3128 from 192.168.0.7")))
                .isEqualTo("failed for POST <url> via <address> from <address>");
        assertThat(ProviderException.publicMessage(new ProviderException("refused by [fe80::1]:443")))
                .doesNotContain("fe80");
        assertThat(ProviderException.publicMessage(new IllegalStateException("Connection refused: api.openai.com/1.2.3.4:443")))
                .isEqualTo("unexpected error");
        assertThat(ProviderException.publicMessage(new ProviderException("OpenAI chat completion failed with HTTP 500: The server had an error")))
                .isEqualTo("OpenAI chat completion failed with HTTP 500: The server had an error");
    }

    @Test
    void shouldRedactKeysEchoedInErrors() {
        assertThat(OpenAiProvider.redact("Incorrect API key provided: sk-abc12***xyz9. Check it."))
                .isEqualTo("Incorrect API key provided: sk-***. Check it.");
    }
}
