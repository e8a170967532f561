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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Test mode: no network, no cost to the platform, deterministic answers. Text variants
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

    /**
     * OpenAI's chat completion shape: each of the {@code n} choices echoes the last user message,
     * cut to {@code max_completion_tokens}/{@code max_tokens} tokens; usage counted with jtokkit.
     */
    @Override
    public Mono<Map<String, Object>> chatCompletion(Map<String, Object> request) {
        return Mono.fromSupplier(() -> {
            Answer answer = answer(request);
            List<Map<String, Object>> choices = new ArrayList<>();
            for (int i = 0; i < answer.n(); i++) {
                choices.add(ordered("index", i, "message", ordered("role", "assistant", "content", answer.text(), "refusal", null),
                        "logprobs", null, "finish_reason", answer.finishReason()));
            }
            return ordered("id", answer.id(), "object", "chat.completion", "created", answer.created(), "model", answer.model(),
                    "choices", choices, "usage", answer.usage(), "system_fingerprint", "sandbox");
        });
    }

    /** The same answer as {@link #chatCompletion} in chunks of a word each, then the usage chunk when asked for. */
    @Override
    public Flux<String> chatCompletionStream(Map<String, Object> request) {
        return Flux.defer(() -> {
            Answer answer = answer(request);
            List<Map<String, Object>> chunks = new ArrayList<>();
            for (int i = 0; i < answer.n(); i++) {
                chunks.add(chunk(answer, i, ordered("role", "assistant", "content", ""), null));
                for (String piece : answer.text().split("(?<= )")) {
                    chunks.add(chunk(answer, i, ordered("content", piece), null));
                }
                chunks.add(chunk(answer, i, Map.of(), answer.finishReason()));
            }
            if (request.get("stream_options") instanceof Map<?, ?> options && Boolean.TRUE.equals(options.get("include_usage"))) {
                chunks.add(ordered("id", answer.id(), "object", "chat.completion.chunk", "created", answer.created(),
                        "model", answer.model(), "choices", List.of(), "usage", answer.usage()));
            }
            return Flux.fromIterable(chunks).map(SandboxProvider::json);
        });
    }

    /**
     * OpenAI's embeddings shape: an 8-dimension unit vector per input derived from the text's hash
     * (as floats, or base64 of little-endian float32 when {@code encoding_format} is {@code base64}); usage by jtokkit.
     */
    @Override
    public Mono<Map<String, Object>> embeddings(Map<String, Object> request) {
        return Mono.fromSupplier(() -> {
            List<?> inputs = request.get("input") instanceof List<?> list ? list : List.of(String.valueOf(request.get("input")));
            boolean base64 = "base64".equals(request.get("encoding_format"));
            List<Map<String, Object>> data = new ArrayList<>();
            long tokens = 0;
            for (int i = 0; i < inputs.size(); i++) {
                String text = String.valueOf(inputs.get(i));
                tokens += countTokens(text);
                float[] vector = vector(text);
                Object embedding;
                if (base64) {
                    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(vector.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    for (float value : vector) {
                        bytes.putFloat(value);
                    }
                    embedding = java.util.Base64.getEncoder().encodeToString(bytes.array());
                } else {
                    List<Double> values = new ArrayList<>();
                    for (float value : vector) {
                        values.add((double) value);
                    }
                    embedding = values;
                }
                data.add(ordered("object", "embedding", "index", i, "embedding", embedding));
            }
            return ordered("object", "list", "data", data, "model", String.valueOf(request.get("model")),
                    "usage", ordered("prompt_tokens", tokens, "total_tokens", tokens));
        });
    }

    private static float[] vector(String text) {
        java.util.Random random = new java.util.Random(text.hashCode());
        float[] vector = new float[8];
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) random.nextGaussian();
            norm += vector[i] * vector[i];
        }
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) (vector[i] / Math.sqrt(norm));
        }
        return vector;
    }

    private record Answer(String id, long created, String model, int n, String text, String finishReason,
                          Map<String, Object> usage) {
    }

    private static Answer answer(Map<String, Object> request) {
        List<?> messages = request.get("messages") instanceof List<?> list ? list : List.of();
        String last = "";
        for (Object message : messages) {
            if (message instanceof Map<?, ?> map && "user".equals(map.get("role"))) {
                last = ChatTokens.text(map.get("content"));
            }
        }
        String text = "[sandbox] " + last.strip();
        Object limit = request.get("max_completion_tokens") != null ? request.get("max_completion_tokens") : request.get("max_tokens");
        String finish = "stop";
        if (limit instanceof Number max) {
            com.knuddels.jtokkit.api.EncodingResult cut = TOKENS.encodeOrdinary(text, max.intValue());
            if (cut.isTruncated()) {
                text = TOKENS.decode(cut.getTokens());
                finish = "length";
            }
        }
        int n = request.get("n") instanceof Number number ? number.intValue() : 1;
        long prompt = ChatTokens.prompt(messages);
        long completion = n * countTokens(text);
        Map<String, Object> usage = ordered("prompt_tokens", prompt, "completion_tokens", completion,
                "total_tokens", prompt + completion, "prompt_tokens_details", ordered("cached_tokens", 0));
        return new Answer("chatcmpl-sandbox-" + UUID.randomUUID(), System.currentTimeMillis() / 1000,
                String.valueOf(request.get("model")), n, text, finish, usage);
    }

    private static Map<String, Object> chunk(Answer answer, int index, Map<String, Object> delta, String finishReason) {
        return ordered("id", answer.id(), "object", "chat.completion.chunk", "created", answer.created(), "model", answer.model(),
                "choices", List.of(ordered("index", index, "delta", delta, "finish_reason", finishReason)));
    }

    /** A JSON object with its keys in the given order; values may be null. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private static String json(Object value) {
        return JSON.writeValueAsString(value);
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
