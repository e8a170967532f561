package io.aicredits.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SandboxProviderTest {

    private static final String SYSTEM = "Write three alternative texts for the user's request. Tone: friendly.";
    private final SandboxProvider sandbox = new SandboxProvider();

    @Test
    void shouldAnswerDeterministicVariantsWithMeasuredTokens() {
        AiProvider.ChatResult first = sandbox.chat("gpt-4o-mini", SYSTEM, "Launch post for our app", 3, 200).block();
        AiProvider.ChatResult again = sandbox.chat("gpt-4o-mini", SYSTEM, "Launch post for our app", 3, 200).block();

        assertThat(first.choices()).containsExactly(
                "[sandbox] Variant 1 of 3: Launch post for our app",
                "[sandbox] Variant 2 of 3: Launch post for our app",
                "[sandbox] Variant 3 of 3: Launch post for our app");
        assertThat(again).isEqualTo(first);
        assertThat(first.completionTokens()).isEqualTo(first.choices().stream().mapToLong(SandboxProvider::countTokens).sum());
        assertThat(first.promptTokens()).isEqualTo(SandboxProvider.countTokens(SYSTEM)
                + SandboxProvider.countTokens("Launch post for our app") + 7);
    }

    @Test
    void shouldGenerateAPngOfTheRequestedSize() {
        AiProvider.ImageResult image = sandbox.image("dall-e-3", "a red fox", 256, 512).block();

        assertThat(image.contentType()).isEqualTo("image/png");
        byte[] png = image.bytes();
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        // IHDR holds width and height as big-endian ints at bytes 16 and 20.
        assertThat(java.nio.ByteBuffer.wrap(png, 16, 8).getInt()).isEqualTo(256);
        assertThat(java.nio.ByteBuffer.wrap(png, 20, 4).getInt()).isEqualTo(512);
    }
}
