package io.aicredits.gateway;

import io.aicredits.infra.Closeables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aicredits.events.UsageStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Seed 000's five curl tests, and the rest of the HTTP API, against a running gateway (sandbox
 * provider, test mode on) with a real broker and the real metering-stream service.
 */
class SeedZeroEndToEndTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    private static final String TEXT = "{\"prompt\":\"Test\",\"tone\":\"friendly\",\"length\":\"short\"}";
    private static final String IMAGE = "{\"prompt\":\"Test image\",\"width\":1024,\"height\":1024}";

    private static MeteringBackend backend;
    private static TestGateway gateway;
    private static WebTestClient http;

    @BeforeAll
    static void start() throws Exception {
        backend = MeteringBackend.start();
        gateway = backend.startGateway(Map.of(
                "gateway.security.test-mode", true));
        http = gateway.http();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gateway, backend);
    }

    private static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    private static Map<String, Object> get(String user, String path) {
        return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
    }

    private static WebTestClient.ResponseSpec post(String user, String path, String body) {
        return http.post().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static Map<String, Object> ok(WebTestClient.ResponseSpec response) {
        return response.expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
    }

    private static long number(Map<String, Object> body, String field) {
        return ((Number) body.get(field)).longValue();
    }

    @Test
    void seedTest1_shouldGiveNewUser100Credits() {
        // Given a user who never used AI
        String user = newUser();

        // When they check their balance
        Map<String, Object> credits = get(user, "/api/ai/credits");

        // Then they have 100 of 100, with seed 000's fields and costs
        assertThat(credits).containsOnlyKeys("credits", "credits_limit", "last_reset", "next_reset", "costs");
        assertThat(number(credits, "credits")).isEqualTo(100);
        assertThat(number(credits, "credits_limit")).isEqualTo(100);
        assertThat(credits.get("costs")).isEqualTo(Map.of("text_generation", 1, "image_generation", 5));
        assertThat((String) credits.get("last_reset")).matches("\\d{4}-\\d{2}-\\d{2}T00:00:00\\.000Z");
        assertThat((String) credits.get("next_reset")).matches("\\d{4}-\\d{2}-01T00:00:00\\.000Z");
    }

    @Test
    void seedTest2_shouldChargeOneCreditForText() {
        String user = newUser();

        // When generating text
        Map<String, Object> text = ok(post(user, "/api/ai/generate-text", TEXT));

        // Then three variants come back and 99 credits remain
        assertThat(text).containsOnlyKeys("variants", "generation_id", "credits_remaining");
        assertThat((List<?>) text.get("variants")).hasSize(3);
        assertThat((String) text.get("generation_id")).startsWith("gen-");
        assertThat(number(text, "credits_remaining")).isEqualTo(99);
        // And the charge is settled by the usage event
        backend.awaitUsage(usage -> usage.getUserId().equals(user) && usage.getStatus() == UsageStatus.SUCCEEDED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(number(get(user, "/api/ai/credits/stats"), "credits_used")).isEqualTo(1));
        assertThat(number(get(user, "/api/ai/credits"), "credits")).isEqualTo(99);
    }

    @Test
    void seedTest3_shouldChargeFiveCreditsForImageAndServeItToOwnerOnly() {
        // Given a user who generated a text (99 left)
        String user = newUser();
        ok(post(user, "/api/ai/generate-text", TEXT));

        // When generating an image
        Map<String, Object> image = ok(post(user, "/api/ai/generate-image", IMAGE));

        // Then 94 credits remain and the image is served at its URL to its owner only
        assertThat(image).containsOnlyKeys("status", "generation_id", "image_id", "image_url", "credits_remaining");
        assertThat(image.get("status")).isEqualTo("completed");
        assertThat(number(image, "credits_remaining")).isEqualTo(94);
        String imageId = (String) image.get("image_id");
        assertThat(image.get("image_url")).isEqualTo("/api/media/" + imageId);
        byte[] png = http.get().uri((String) image.get("image_url"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .exchange().expectStatus().isOk()
                .expectHeader().contentType(MediaType.IMAGE_PNG)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        http.get().uri((String) image.get("image_url"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(newUser()))
                .exchange().expectStatus().isNotFound();

        // And the stats agree
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Object> stats = get(user, "/api/ai/credits/stats");
            assertThat(number(stats, "credits_used")).isEqualTo(6);
            assertThat(number(stats, "credits_remaining")).isEqualTo(94);
            assertThat(number(stats, "credits_limit")).isEqualTo(100);
            assertThat(number(stats, "percentage_used")).isEqualTo(6);
            assertThat(number(stats, "estimated_text_generations")).isEqualTo(94);
            assertThat(number(stats, "estimated_image_generations")).isEqualTo(18);
        });
    }

    @Test
    void seedTest4_shouldRejectImageAfterTwentyImagesWithSeedMessage() {
        // Given a user who generated 20 images (100 credits)
        String user = newUser();
        for (int i = 0; i < 20; i++) {
            assertThat(number(ok(post(user, "/api/ai/generate-image", IMAGE)), "credits_remaining")).isEqualTo(95 - 5L * i);
        }
        String nextReset = (String) get(user, "/api/ai/credits").get("next_reset");

        // When they try one more
        Map<String, Object> error = post(user, "/api/ai/generate-image",
                "{\"prompt\":\"Another image\",\"width\":1024,\"height\":1024}")
                .expectStatus().isBadRequest().expectBody(JSON).returnResult().getResponseBody();

        // Then seed 000's 400 with the exact message, plus machine-readable fields
        assertThat(error).containsEntry("statusCode", 400).containsEntry("message",
                "Insufficient AI credits. You have 0 credits, but need 5. Credits will reset on " + resetDay(nextReset) + ".");
        assertThat(error).containsEntry("error", "INSUFFICIENT_CREDITS").containsEntry("credits_required", 5)
                .containsEntry("credits", 0).containsEntry("next_reset", nextReset);
    }

    @Test
    void shouldRejectImageWithThreeCreditsLeftWithSeedMessage() {
        // Given a user with 3 credits left (2 texts + 19 images)
        String user = newUser();
        ok(post(user, "/api/ai/generate-text", TEXT));
        ok(post(user, "/api/ai/generate-text", TEXT));
        for (int i = 0; i < 19; i++) {
            ok(post(user, "/api/ai/generate-image", IMAGE));
        }
        String nextReset = (String) get(user, "/api/ai/credits").get("next_reset");

        // When / Then an image is refused with seed 000's example message
        post(user, "/api/ai/generate-image", IMAGE).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.statusCode").isEqualTo(400)
                .jsonPath("$.message").isEqualTo("Insufficient AI credits. You have 3 credits, but need 5. Credits will reset on "
                        + resetDay(nextReset) + ".");
        // And a text still fits
        assertThat(number(ok(post(user, "/api/ai/generate-text", TEXT)), "credits_remaining")).isEqualTo(2);
    }

    @Test
    void seedTest5_shouldResetCreditsTo100() {
        // Given a user who spent 10 credits
        String user = newUser();
        ok(post(user, "/api/ai/generate-image", IMAGE));
        ok(post(user, "/api/ai/generate-image", IMAGE));

        // When they reset (test mode)
        Map<String, Object> reset = http.patch().uri("/api/ai/credits/reset")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();

        // Then seed 000's answer with 100 credits, and the balance says so too
        assertThat(reset).containsEntry("message", "Credits reset successfully");
        @SuppressWarnings("unchecked")
        Map<String, Object> balance = (Map<String, Object>) reset.get("balance");
        assertThat(balance).containsOnlyKeys("credits", "credits_limit", "last_reset", "next_reset", "costs");
        assertThat(number(balance, "credits")).isEqualTo(100);
        assertThat(number(get(user, "/api/ai/credits"), "credits")).isEqualTo(100);
    }

    @Test
    void shouldChargeOnceForRepeatedIdempotencyKey() {
        // Given a user sending the same text request twice with one Idempotency-Key
        String user = newUser();
        String key = "key-" + UUID.randomUUID();
        Map<String, Object> first = ok(http.post().uri("/api/ai/generate-text")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(TEXT).exchange());
        Map<String, Object> second = ok(http.post().uri("/api/ai/generate-text")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(TEXT).exchange());

        // Then both answers are the same generation, and one credit was charged
        assertThat(second).isEqualTo(first);
        backend.awaitUsage(usage -> usage.getUserId().equals(user));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(number(get(user, "/api/ai/credits/stats"), "credits_used")).isEqualTo(1));
        assertThat(number(get(user, "/api/ai/credits"), "credits")).isEqualTo(99);
        assertThat(backend.usageMatching(usage -> usage.getUserId().equals(user))).hasSize(1);
    }

    @Test
    void shouldLetAdminAddDeductAndReadCreditsPerType() {
        // Given a user and an admin
        String user = newUser();
        String admin = "Bearer " + TestGateway.adminToken("admin-1");

        // When the admin adds 10 generation credits and deducts 3
        http.post().uri("/api/admin/credits/{user}/add", user).header(HttpHeaders.AUTHORIZATION, admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"credits\":10,\"credit_type\":\"generation_credits\"}")
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.balances.generation_credits").isEqualTo(20);
        Map<String, Object> after = http.post().uri("/api/admin/credits/{user}/deduct", user).header(HttpHeaders.AUTHORIZATION, admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"credits\":3,\"credit_type\":\"generation_credits\"}")
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();

        // Then the balance per credit type shows it, other pools untouched
        @SuppressWarnings("unchecked")
        Map<String, Object> balances = (Map<String, Object>) after.get("balances");
        assertThat(balances).containsEntry("generation_credits", 17).containsEntry("ai_credits", 100);
        http.get().uri("/api/admin/credits/{user}", user).header(HttpHeaders.AUTHORIZATION, admin)
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.balances.generation_credits").isEqualTo(17);
    }

    @Test
    void shouldLetAdminResetAnotherUser() {
        String user = newUser();
        ok(post(user, "/api/ai/generate-image", IMAGE));

        http.patch().uri("/api/ai/credits/reset?user_id={user}", user)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.adminToken("admin-1"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.balance.credits").isEqualTo(100);
        assertThat(number(get(user, "/api/ai/credits"), "credits")).isEqualTo(100);
    }

    @Test
    void shouldRunSeed002OperationsWithTheirModels() {
        String user = newUser();

        // A chat operation, priced in the ai_tokens pool
        Map<String, Object> card = ok(post(user, "/api/ai/operations/ai_card", "{\"content\":\"I finished the report\"}"));
        assertThat(card).containsEntry("operation", "ai_card").containsEntry("model", "gpt-4o-mini");
        assertThat((String) card.get("result")).isNotBlank();

        // voice_to_text takes an audio upload
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("file", new org.springframework.core.io.ByteArrayResource(new byte[48_000]) {
            @Override
            public String getFilename() {
                return "note.wav";
            }
        });
        Map<String, Object> voice = http.post().uri("/api/ai/operations/voice_to_text")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(voice).containsEntry("model", "whisper-1");
        @SuppressWarnings("unchecked")
        Map<String, Object> usage = (Map<String, Object>) voice.get("usage");
        assertThat(usage).containsEntry("audio_seconds", 3);
        // 3 s of whisper-1 at $0.006/min
        assertThat(new java.math.BigDecimal(usage.get("cost_usd").toString())).isEqualByComparingTo("0.0003");
    }

    @Test
    void shouldExposeGenerationMetrics() {
        ok(post(newUser(), "/api/ai/generate-text", TEXT));
        http.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.INTERNAL_TOKEN)
                .exchange().expectStatus().isOk()
                .expectBody(String.class).value(text -> assertThat(text)
                        .contains("ai_generations_total{").contains("operation=\"text_generation\"").contains("outcome=\"completed\""));
    }

    private static String resetDay(String iso) {
        return DateTimeFormatter.ofPattern("M/d/yyyy").withZone(ZoneOffset.UTC).format(Instant.parse(iso));
    }
}
