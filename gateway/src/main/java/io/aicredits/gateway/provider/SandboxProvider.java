package io.aicredits.gateway.provider;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Seed 002's test mode: no network, no cost to the platform, deterministic answers. Text variants
 * are derived from the prompt; images are a PNG gradient whose colours come from the prompt;
 * token counts are measured with jtokkit's {@code o200k_base} (the gpt-4o family's encoding);
 * audio length is estimated from the upload size at 16 kB per second.
 */
public class SandboxProvider implements AiProvider {

    private static final Encoding TOKENS = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    private static final long AUDIO_BYTES_PER_SECOND = 16_000;

    @Override
    public String name() {
        return "sandbox";
    }

    /** Tokens of {@code text} in the gpt-4o family's encoding. */
    public static long countTokens(String text) {
        return TOKENS.countTokensOrdinary(text);
    }

    @Override
    public Mono<ChatResult> chat(String model, String systemPrompt, String userPrompt, int n, int maxTokens) {
        return Mono.fromSupplier(() -> {
            List<String> choices = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                // Deterministic and recognisably fake: the instructions shape real model output, not this.
                choices.add("[sandbox] Variant " + i + " of " + n + ": " + userPrompt.strip());
            }
            long completion = choices.stream().mapToLong(SandboxProvider::countTokens).sum();
            // Chat framing adds a few tokens per message, as OpenAI counts them.
            long prompt = countTokens(systemPrompt) + countTokens(userPrompt) + 7;
            return new ChatResult(choices, prompt, completion);
        });
    }

    @Override
    public Mono<ImageResult> image(String model, String prompt, int width, int height) {
        return Mono.fromCallable(() -> new ImageResult(png(prompt, width, height), "image/png", prompt))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Mono<TranscriptionResult> transcribe(String model, byte[] audio, String filename) {
        return Mono.fromSupplier(() -> new TranscriptionResult(
                "Sandbox transcription of " + filename + " (" + audio.length + " bytes)",
                Math.max(1, (audio.length + AUDIO_BYTES_PER_SECOND - 1) / AUDIO_BYTES_PER_SECOND)));
    }

    static byte[] png(String prompt, int width, int height) {
        int hash = prompt.hashCode();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setPaint(new GradientPaint(0, 0, new Color(hash & 0xFFFFFF), width, height,
                    new Color(~hash & 0xFFFFFF)));
            graphics.fillRect(0, 0, width, height);
        } finally {
            graphics.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode sandbox PNG", e);
        }
        return out.toByteArray();
    }
}
