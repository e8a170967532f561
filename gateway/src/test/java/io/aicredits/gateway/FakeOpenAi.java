package io.aicredits.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server on a free 127.0.0.1 port that speaks OpenAI's REST API with recorded-style
 * answers (including {@code usage}): chat completions, image generations, audio transcriptions.
 * It can be switched to fail with HTTP 500 or to hang (to provoke a client timeout). A chat
 * completion with {@code "stream":true} answers as server-sent events: {@link #STREAMED} word by
 * word, a usage chunk when {@code stream_options.include_usage} is set, then {@code [DONE]};
 * {@link Mode#CUT} closes the connection after two chunks instead.
 */
public final class FakeOpenAi implements AutoCloseable {

    public static final long PROMPT_TOKENS = 57;
    public static final long COMPLETION_TOKENS = 153;
    /** Prompt tokens an embeddings call reports, and the vector it answers. */
    public static final long EMBEDDING_TOKENS = 8;
    public static final float[] EMBEDDING = {0.125f, -0.25f, 0.5f};
    /** Of the prompt tokens, how many OpenAI reports as served from its prompt cache. */
    public static final long CACHED_TOKENS = 25;
    public static final double AUDIO_SECONDS = 90.2;
    /** A 1×1 PNG. */
    public static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /** The one key {@code GET /v1/models} accepts; any other gets OpenAI's 401 answer. */
    public static final String VALID_KEY = "sk-test-valid-key-0123456789abcdef";

    public enum Mode { OK, SLOW, FAIL_500, HANG, CUT }

    /** The content a streamed completion sends, one chunk per word. */
    public static final String STREAMED = "OpenAI streamed answer in seven small chunks";

    /** How long {@link Mode#SLOW} takes per call, like a real completion. */
    public static final long SLOW_MILLIS = 1000;

    public record Call(String path, String authorization, String body) {
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile Mode mode = Mode.OK;
    private volatile long chunkDelayMillis;

    public FakeOpenAi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public void mode(Mode value) {
        this.mode = value;
    }

    /** Pause between two streamed chunks. */
    public void chunkDelay(long millis) {
        this.chunkDelayMillis = millis;
    }

    public List<Call> calls() {
        return calls;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
        String path = exchange.getRequestURI().getPath();
        calls.add(new Call(path, exchange.getRequestHeaders().getFirst("Authorization"), body));
        switch (mode) {
            case FAIL_500 -> {
                respond(exchange, 500, """
                        {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}""");
                return;
            }
            case HANG -> {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            case SLOW -> {
                try {
                    release.await(SLOW_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case OK, CUT -> {
            }
        }
        if (path.equals("/v1/chat/completions") && body.contains("\"stream\":true")) {
            stream(exchange, body.contains("\"include_usage\":true"));
            return;
        }
        switch (path) {
            case "/v1/chat/completions" -> {
                int n = body.contains("\"n\":3") ? 3 : 1;
                StringBuilder choices = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        choices.append(',');
                    }
                    choices.append("""
                            {"index":%d,"message":{"role":"assistant","content":"OpenAI variant %d","refusal":null},"logprobs":null,"finish_reason":"stop"}"""
                            .formatted(i, i + 1));
                }
                respond(exchange, 200, """
                        {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18","choices":[%s],"usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,"prompt_tokens_details":{"cached_tokens":%d,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_06737a9306"}"""
                        .formatted(choices, PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + COMPLETION_TOKENS, CACHED_TOKENS));
            }
            case "/v1/embeddings" -> {
                String vector;
                if (body.contains("\"encoding_format\":\"base64\"")) {
                    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(EMBEDDING.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    for (float value : EMBEDDING) {
                        bytes.putFloat(value);
                    }
                    vector = "\"" + Base64.getEncoder().encodeToString(bytes.array()) + "\"";
                } else {
                    vector = "[0.125,-0.25,0.5]";
                }
                respond(exchange, 200, """
                        {"object":"list","data":[{"object":"embedding","index":0,"embedding":%s}],"model":"text-embedding-3-small","usage":{"prompt_tokens":%d,"total_tokens":%d}}"""
                        .formatted(vector, EMBEDDING_TOKENS, EMBEDDING_TOKENS));
            }
            case "/v1/models" -> {
                if (("Bearer " + VALID_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    respond(exchange, 200, """
                            {"object":"list","data":[{"id":"gpt-4o","object":"model","created":1715367049,"owned_by":"system"},{"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"},{"id":"whisper-1","object":"model","created":1677532384,"owned_by":"openai-internal"}]}""");
                } else {
                    respond(exchange, 401, """
                            {"error":{"message":"Incorrect API key provided: sk-wron*****ffff. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");
                }
            }
            case "/v1/images/generations" -> respond(exchange, 200, """
                    {"created":1713833628,"data":[{"b64_json":"%s","revised_prompt":"A test image, revised"}]}"""
                    .formatted(Base64.getEncoder().encodeToString(PNG)));
            case "/v1/audio/transcriptions" -> respond(exchange, 200, """
                    {"task":"transcribe","language":"english","duration":%s,"text":"Hello from the voice note.","segments":[]}"""
                    .formatted(AUDIO_SECONDS));
            default -> respond(exchange, 404, "{\"error\":{\"message\":\"Unknown path " + path + "\"}}");
        }
    }

    private void stream(HttpExchange exchange, boolean includeUsage) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        String usageNull = includeUsage ? ",\"usage\":null" : "";
        String head = "{\"id\":\"chatcmpl-stream\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_06737a9306\",";
        OutputStream out = exchange.getResponseBody();
        try {
            event(out, head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]" + usageNull + "}");
            String[] words = STREAMED.split("(?<= )");
            for (int i = 0; i < words.length; i++) {
                if (mode == Mode.CUT && i == 2) {
                    // Gone mid-stream: no usage, no [DONE].
                    exchange.close();
                    return;
                }
                pause(chunkDelayMillis);
                event(out, head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + words[i] + "\"},\"logprobs\":null,\"finish_reason\":null}]" + usageNull + "}");
            }
            event(out, head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]" + usageNull + "}");
            if (includeUsage) {
                event(out, head + "\"choices\":[],\"usage\":{\"prompt_tokens\":%d,\"completion_tokens\":%d,\"total_tokens\":%d,\"prompt_tokens_details\":{\"cached_tokens\":%d,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}"
                        .formatted(PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + COMPLETION_TOKENS, CACHED_TOKENS));
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.close();
        } catch (IOException e) {
            // The gateway went away; nothing to answer.
            exchange.close();
        }
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void pause(long millis) {
        if (millis > 0) {
            try {
                release.await(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
