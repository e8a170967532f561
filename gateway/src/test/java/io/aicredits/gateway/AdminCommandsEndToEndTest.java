package io.aicredits.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.infra.Closeables;
import io.aicredits.schemas.EventIds;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Credit commands from the HTTP API (admin add and deduct, reset) against a gateway with a real
 * broker and the real metering-stream service: an {@code Idempotency-Key} makes a retry the same
 * command, each call answers its own command's outcome (applied 200, refused 409 with the stream's
 * reason), never a false 504 because another command for the user came in between.
 */
class AdminCommandsEndToEndTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    private static final String ADMIN = "Bearer " + TestGateway.adminToken("admin-1");

    private static MeteringBackend backend;
    private static TestGateway gateway;
    private static WebTestClient http;
    /** A gateway that gives up on a command's outcome after 1 ms: long before the stream can decide it. */
    private static TestGateway impatient;

    @BeforeAll
    static void start() {
        backend = MeteringBackend.start();
        gateway = backend.startGateway(Map.of());
        http = gateway.http();
        impatient = backend.startGateway(Map.of("gateway.metering.command-apply-timeout", "1ms"));
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(impatient, gateway, backend);
    }

    private static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    /** An admin's add or deduct of generation credits, with an {@code Idempotency-Key} when {@code key} is not null. */
    private static WebTestClient.ResponseSpec change(String user, String endpoint, long credits, String key) {
        WebTestClient.RequestBodySpec request = http.post().uri("/api/admin/credits/{user}/" + endpoint, user)
                .header(HttpHeaders.AUTHORIZATION, ADMIN).contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.bodyValue("{\"credits\":" + credits + ",\"credit_type\":\"generation_credits\"}").exchange();
    }

    private static Map<String, Object> body(WebTestClient.ResponseSpec response, int status) {
        return response.expectStatus().isEqualTo(status).expectBody(JSON).returnResult().getResponseBody();
    }

    private static long generationCredits(Map<String, Object> adminBalance) {
        return ((Number) ((Map<?, ?>) adminBalance.get("balances")).get("generation_credits")).longValue();
    }

    @Test
    void shouldGrantOnceWhenTheSameIdempotencyKeyIsSentTwiceAndAnswerBothWithTheBalance() {
        // Given a user with the opening 10 generation credits
        String user = newUser();

        // When an admin adds 10 with a key, then retries with the same key (as after a 504)
        Map<String, Object> first = body(change(user, "add", 10, "grant-1"), 200);
        Map<String, Object> retry = body(change(user, "add", 10, "grant-1"), 200);

        // Then it was granted once and both answers show the same balance
        assertThat(generationCredits(first)).isEqualTo(20);
        assertThat(generationCredits(retry)).isEqualTo(20);
        assertThat(gateway.adminBalance(user, "generation_credits")).isEqualTo(20);

        // And the same key on another endpoint is another command
        assertThat(generationCredits(body(change(user, "deduct", 3, "grant-1"), 200))).isEqualTo(17);
    }

    @Test
    void shouldAnswerEveryCommandSentTogetherForOneUser() {
        // Given a user
        String user = newUser();

        // When an admin sends five different adds for the user at the same time
        List<CompletableFuture<Integer>> calls = IntStream.range(0, 5)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> change(user, "add", 1, "burst-" + i)
                        .returnResult(String.class).getStatus().value()))
                .toList();

        // Then every one answers 200 (none waits out a 504), and all five were applied
        assertThat(calls).allSatisfy(call -> assertThat(call.join()).isEqualTo(200));
        assertThat(gateway.adminBalance(user, "generation_credits")).isEqualTo(15);
    }

    @Test
    void shouldAnswer409WithTheStreamsReasonForARefusedDeductAndTheSameForItsRetry() {
        // Given a user with 10 generation credits
        String user = newUser();

        // When an admin deducts 50
        Map<String, Object> refused = body(change(user, "deduct", 50, "too-much"), 409);

        // Then it is refused with the stream's reason in the gateway's error format, and nothing is deducted
        assertThat(refused).containsEntry("statusCode", 409).containsEntry("state", "refused");
        assertThat((String) refused.get("message")).startsWith("The credit command was refused: ").contains("below zero");
        assertThat((String) refused.get("reason")).contains("below zero");
        assertThat((String) refused.get("command_id")).contains(user).endsWith(":too-much");
        assertThat(gateway.adminBalance(user, "generation_credits")).isEqualTo(10);

        // When credits arrive and the same key is retried
        body(change(user, "add", 100, null), 200);
        Map<String, Object> retried = body(change(user, "deduct", 50, "too-much"), 409);

        // Then the key's outcome is final: the same refusal, still nothing deducted
        assertThat(retried.get("reason")).isEqualTo(refused.get("reason"));
        assertThat(gateway.adminBalance(user, "generation_credits")).isEqualTo(110);
    }

    @Test
    void shouldResetOnceForARepeatedIdempotencyKey() {
        // Given a user whose admin added 5 and then reset them with a key
        String user = newUser();
        body(change(user, "add", 5, null), 200);
        reset(user, "reset-1").expectStatus().isOk().expectBody().jsonPath("$.message").isEqualTo("Credits reset successfully");
        assertThat(gateway.adminBalance(user, "generation_credits")).isEqualTo(10);

        // When the admin adds 5 more and the reset is retried with the same key
        body(change(user, "add", 5, null), 200);
        reset(user, "reset-1").expectStatus().isOk();

        // Then the retry is the same reset, not a second one
        assertThat(gateway.adminBalance(user, "generation_credits")).isEqualTo(15);
    }

    @Test
    void shouldAnswer504ThatMayStillApplyAndGrantOnceWhenRetriedWithTheSameKey() {
        // Given a user, and an admin whose add times out waiting for its outcome
        String user = newUser();
        Map<String, Object> timedOut = body(impatient.http().post().uri("/api/admin/credits/{user}/add", user)
                .header(HttpHeaders.AUTHORIZATION, ADMIN).header("Idempotency-Key", "slow-grant")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"credits\":7,\"credit_type\":\"generation_credits\"}")
                .exchange(), 504);

        // Then the answer says it may still apply and that retrying with the key is safe
        assertThat((String) timedOut.get("message")).contains("may still apply")
                .contains("retrying with the same Idempotency-Key is safe");
        assertThat((String) timedOut.get("command_id")).endsWith(":slow-grant");

        // When the admin retries with the same key (through another gateway instance)
        Map<String, Object> retried = body(change(user, "add", 7, "slow-grant"), 200);

        // Then the credits were granted once
        assertThat(generationCredits(retried)).isEqualTo(17);
        assertThat(gateway.adminBalance(user, "generation_credits")).isEqualTo(17);
    }

    @Test
    void shouldRefuseAnIdempotencyKeyOutsideTheAllowedCharacters() {
        String user = newUser();

        Map<String, Object> error = body(change(user, "add", 5, "two words"), 400);

        assertThat((String) error.get("message")).startsWith("Idempotency-Key must be 1-128 characters");
        assertThat(gateway.adminBalance(user, "generation_credits")).isEqualTo(10);
    }

    @Test
    void shouldRefuseAUserIdLongerThanAJwtSubjectMayBe() {
        // Given a user id one character longer than the gateway accepts as a user
        String user = "u".repeat(EventIds.MAX_USER_ID_LENGTH + 1);

        // When an admin adds credits to it, or reads its balance
        Map<String, Object> add = body(change(user, "add", 5, "long-user"), 400);
        Map<String, Object> read = body(http.get().uri("/api/admin/credits/{user}", user)
                .header(HttpHeaders.AUTHORIZATION, ADMIN).exchange(), 400);

        // Then both are refused with the rule, and nothing reached the stream
        assertThat((String) add.get("message")).isEqualTo("A user id must be 1-256 characters long");
        assertThat((String) read.get("message")).isEqualTo("A user id must be 1-256 characters long");
    }

    private static WebTestClient.ResponseSpec reset(String user, String key) {
        return http.patch().uri("/api/ai/credits/reset?user_id={user}", user).header(HttpHeaders.AUTHORIZATION, ADMIN)
                .header("Idempotency-Key", key).exchange();
    }
}
