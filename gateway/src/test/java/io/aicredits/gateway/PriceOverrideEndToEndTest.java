package io.aicredits.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aicredits.events.OperationPrice;
import io.aicredits.infra.Closeables;
import io.aicredits.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One price catalog: a price changed on {@code credit.prices} is what the stream charges and what
 * the gateway shows in {@code GET /api/ai/credits} ({@code costs}) and {@code /stats} ({@code estimated_*}).
 */
class PriceOverrideEndToEndTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    private static final String IMAGE = "{\"prompt\":\"Test image\",\"width\":1024,\"height\":1024}";

    private static MeteringBackend backend;
    private static TestGateway gateway;
    private static WebTestClient http;

    @BeforeAll
    static void start() {
        backend = MeteringBackend.start();
        gateway = backend.startGateway(Map.of());
        http = gateway.http();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gateway, backend);
    }

    private static Map<String, Object> get(String user, String path) {
        return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
    }

    private static long number(Map<String, Object> body, String field) {
        return ((Number) body.get(field)).longValue();
    }

    @Test
    void shouldChargeAndShowAnImagePriceChangedOnTheCreditPricesTopic() {
        // Given the default catalog: an image costs 5 credits, shown as such
        String user = "user-" + UUID.randomUUID();
        assertThat(get(user, "/api/ai/credits").get("costs")).isEqualTo(Map.of("text_generation", 1, "image_generation", 5));

        // When an admin changes the image price to 7 credits on credit.prices
        OperationPrice seven = OperationPrice.newBuilder().setOperationType("image_generation").setPool("ai_credits")
                .setCredits(7).setActor("admin").setUpdatedAt(Instant.now()).build();
        try (KafkaProducer<String, OperationPrice> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, backend.bootstrapServers()),
                new StringSerializer(), Topics.CREDIT_PRICES.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.CREDIT_PRICES.name(), "image_generation", seven));
        }

        // Then the gateway shows the new cost
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get(user, "/api/ai/credits").get("costs"))
                .isEqualTo(Map.of("text_generation", 1, "image_generation", 7)));

        // And the stream charges it: an image now takes 7 of 100
        Map<String, Object> image = http.post().uri("/api/ai/generate-image")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(IMAGE).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(number(image, "credits_remaining")).isEqualTo(93);

        // And the stats estimate images at the new price (93 / 7 = 13), texts at 1
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Object> stats = get(user, "/api/ai/credits/stats");
            assertThat(number(stats, "credits_remaining")).isEqualTo(93);
            assertThat(number(stats, "estimated_image_generations")).isEqualTo(13);
            assertThat(number(stats, "estimated_text_generations")).isEqualTo(93);
        });
    }
}
