package io.aicredits.examples.upscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aicredits.stream.testing.MeteringStreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * The example service as its README shows it, on the real broker and metering stream: the Spring
 * Security user pays, 2 generation credits per upscale from the catalog, the sixth is refused.
 */
class UpscaleServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static MeteringStreamServer backend;
    private static ConfigurableApplicationContext service;
    private static String url;

    @BeforeAll
    static void start() {
        backend = MeteringStreamServer.start(2, "--metering.client.enabled=false");
        service = new SpringApplicationBuilder(UpscaleServiceApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1",
                "--spring.security.user.name=alice", "--spring.security.user.password=secret",
                "--metering.client.bootstrap-servers=" + backend.bootstrapServers(),
                "--metering.client.stream.url=" + backend.url(),
                "--metering.client.reply-partition=0");
        url = "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            backend.close();
        }
    }

    private static HttpResponse<String> call(String method, String path, String body, boolean signedIn) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (signedIn) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<?, ?> json(HttpResponse<String> response) {
        return JSON.readValue(response.body(), Map.class);
    }

    private static Map<?, ?> generationPool() throws Exception {
        HttpResponse<String> credits = call("GET", "/api/credits", null, true);
        assertThat(credits.statusCode()).as(credits.body()).isEqualTo(200);
        return ((java.util.List<?>) json(credits).get("pools")).stream().map(p -> (Map<?, ?>) p)
                .filter(p -> "generation_credits".equals(p.get("pool"))).findFirst().orElseThrow();
    }

    @Test
    void shouldChargeTheSignedInUserTwoCreditsPerUpscaleAndRefuseTheSixth() throws Exception {
        String upscale = "{\"image_url\":\"https://example.com/cat.png\",\"factor\":4}";
        assertThat(call("POST", "/api/images/upscale", upscale, false).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/api/images/upscale", "{\"factor\":4}", true).statusCode()).as("no image_url").isEqualTo(400);
        // Its hold was released: nothing charged.
        await().atMost(Duration.ofSeconds(20)).until(() -> generationPool(), pool ->
                ((Number) pool.get("held")).longValue() == 0 && ((Number) pool.get("balance")).longValue() == 10);

        for (long remaining = 8; remaining >= 0; remaining -= 2) {
            HttpResponse<String> response = call("POST", "/api/images/upscale", upscale, true);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).get("image_url")).isEqualTo("https://example.com/cat.png?upscaled=4x");
            assertThat(((Number) json(response).get("credits_held")).longValue()).isEqualTo(2);
            assertThat(((Number) json(response).get("credits_remaining")).longValue()).isEqualTo(remaining);
        }

        HttpResponse<String> sixth = call("POST", "/api/images/upscale", upscale, true);
        assertThat(sixth.statusCode()).as(sixth.body()).isEqualTo(403);
        assertThat(json(sixth).get("error")).isEqualTo("INSUFFICIENT_CREDITS");
        assertThat(((Number) json(sixth).get("credits_available")).longValue()).isZero();

        Map<?, ?> pool = await().atMost(Duration.ofSeconds(20)).until(() -> generationPool(),
                p -> ((Number) p.get("held")).longValue() == 0);
        assertThat(((Number) pool.get("used")).longValue()).isEqualTo(10);
        assertThat(((Number) pool.get("balance")).longValue()).isZero();
        assertThat(call("GET", "/actuator/health", null, false).body()).contains("\"metering\"");
    }
}
