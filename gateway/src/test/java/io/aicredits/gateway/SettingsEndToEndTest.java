package io.aicredits.gateway;

import io.aicredits.infra.Closeables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Seed 002 §7 settings at runtime: {@code GET/PUT /api/admin/settings} and its audit trail, with a
 * real broker, the real metering stream and a gateway started with test mode off.
 */
class SettingsEndToEndTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    private static MeteringBackend backend;
    private static TestGateway gateway;
    private static WebTestClient http;

    @BeforeAll
    static void start() throws Exception {
        backend = MeteringBackend.start();
        gateway = backend.startGateway(Map.of(
                "gateway.security.test-mode", false));
        http = gateway.http();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(gateway, backend);
    }

    private static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    private static WebTestClient.ResponseSpec put(String token, String body) {
        return http.put().uri("/api/admin/settings").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static Map<String, Object> putOk(String admin, String body) {
        return put(TestGateway.adminToken(admin), body).expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
    }

    private static Map<String, Object> getAdmin(String path) {
        return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.adminToken("root"))
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
    }

    private static WebTestClient.ResponseSpec operation(String user, String operation) {
        return http.post().uri("/api/ai/operations/" + operation).header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"content\":\"I finished the quarterly report\"}").exchange();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> body, String field) {
        return (Map<String, Object>) body.get(field);
    }

    @Test
    void shouldUseChangedModelAndPriceForTheNextRequest() {
        String user = newUser();
        Map<String, Object> before = operation(user, "ai_summary").expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(before).containsEntry("model", "gpt-4o");

        // When a super admin assigns gpt-4o-mini to ai_summary and prices its input at $1000 per 1K tokens
        Map<String, Object> settings = putOk("admin-models", "{\"models.ai_summary\":\"gpt-4o-mini\","
                + "\"model_prices.gpt-4o-mini.input_per_1k\":1000,\"model_prices.gpt-4o-mini.output_per_1k\":0}");
        assertThat(map(map(settings, "settings"), "models.ai_summary")).containsEntry("value", "gpt-4o-mini");

        // Then the very next request uses the new model and the new price: cost = input tokens × $1
        Map<String, Object> after = operation(user, "ai_summary").expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(after).containsEntry("model", "gpt-4o-mini");
        Map<String, Object> usage = map(after, "usage");
        assertThat(new BigDecimal(usage.get("cost_usd").toString()))
                .isEqualByComparingTo(new BigDecimal(usage.get("tokens_input").toString()));
    }

    @Test
    void shouldRejectUserOverTokenLimitSetThroughTheApi() {
        String user = newUser();
        operation(user, "ai_card").expectStatus().isOk();

        putOk("admin-limits", "{\"limits.user_tokens_per_period.user." + user + "\":1}");

        // The stream reads ai.settings on its global thread, a few milliseconds after the gateway does.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Object> error = operation(user, "ai_card").expectStatus().isBadRequest()
                    .expectBody(JSON).returnResult().getResponseBody();
            assertThat(error).containsEntry("error", "TOKEN_LIMIT_EXCEEDED");
            assertThat((String) error.get("message"))
                    .matches("AI token limit reached\\. You have used \\d+ of 1 tokens this period\\. Limits reset on \\d{1,2}/1/\\d{4}\\.");
        });
        // another user is not limited
        operation(newUser(), "ai_card").expectStatus().isOk();
    }

    @Test
    void shouldHoldTheCallsEstimatedCostAgainstTheUsersBudget() {
        // Given a user with nothing spent and a budget below what one ai_card call's estimated tokens cost
        String user = newUser();
        putOk("admin-budgets", "{\"budgets.user_monthly_usd.user." + user + "\":\"0.000001\"}");

        // Then the call is refused before it is made: the gateway sent its estimated USD cost with the request
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Object> error = operation(user, "ai_card").expectStatus().isBadRequest()
                    .expectBody(JSON).returnResult().getResponseBody();
            assertThat(error).containsEntry("error", "BUDGET_EXCEEDED");
            assertThat((String) error.get("message")).startsWith("AI budget would be exceeded. You have spent $0.00 of your $0.00"
                    + " monthly AI budget; this request may cost up to $");
        });
    }

    @Test
    void shouldLetUsersResetTheirCreditsOnlyWhileTestModeIsOn() {
        String user = newUser();
        reset(user).expectStatus().isForbidden();

        putOk("admin-test-mode", "{\"test_mode\":true}");
        reset(user).expectStatus().isOk();

        putOk("admin-test-mode", "{\"test_mode\":false}");
        reset(user).expectStatus().isForbidden();
    }

    private static WebTestClient.ResponseSpec reset(String user) {
        return http.patch().uri("/api/ai/credits/reset").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken(user))
                .exchange();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldAuditEveryChangeWithWhoWhenOldAndNew() {
        putOk("admin-a", "{\"budgets.user_monthly_usd.user.audited\":5}");
        putOk("admin-b", "{\"budgets.user_monthly_usd.user.audited\":\"7.50\"}");
        // an unchanged value is not a change
        putOk("admin-b", "{\"budgets.user_monthly_usd.user.audited\":7.5}");

        Map<String, Object> audit = getAdmin("/api/admin/settings/audit?key=budgets.user_monthly_usd.user.audited");
        List<Map<String, Object>> changes = (List<Map<String, Object>>) audit.get("changes");
        assertThat(changes).extracting(c -> c.get("version"), c -> c.get("old_value"), c -> c.get("new_value"), c -> c.get("changed_by"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, null, "5", "admin-a"),
                        org.assertj.core.groups.Tuple.tuple(2, "5", "7.5", "admin-b"));
        assertThat(changes).allSatisfy(c -> assertThat((String) c.get("changed_at")).isNotBlank());

        Map<String, Object> current = map(getAdmin("/api/admin/settings"), "settings");
        assertThat(map(current, "budgets.user_monthly_usd.user.audited")).containsEntry("value", "7.5").containsEntry("version", 2);
    }

    @Test
    void shouldRefuseUnknownKeysBadValuesAndNonAdmins() {
        put(TestGateway.adminToken("root"), "{\"limits.user_tokens_per_period.user.refused\":-1}").expectStatus().isBadRequest()
                .expectBody(JSON).value(body -> assertThat((String) body.get("message")).contains("must not be negative"));
        put(TestGateway.adminToken("root"), "{\"no_such_setting\":1}").expectStatus().isBadRequest();
        put(TestGateway.adminToken("root"), "{\"models.no_such_operation\":\"gpt-4o\"}").expectStatus().isBadRequest();
        put(TestGateway.userToken("alice"), "{\"test_mode\":true}").expectStatus().isForbidden();
        http.get().uri("/api/admin/settings").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .exchange().expectStatus().isForbidden();

        Map<String, Object> audit = getAdmin("/api/admin/settings/audit?key=limits.user_tokens_per_period.user.refused");
        assertThat((List<?>) audit.get("changes")).isEmpty();
    }
}
