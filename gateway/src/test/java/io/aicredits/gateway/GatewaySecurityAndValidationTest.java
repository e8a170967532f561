package io.aicredits.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.aicredits.infra.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;

/**
 * Authentication, authorization and input validation: everything that must be refused before
 * any credit is asked for. A real broker backs the gateway's metering client; no stream is needed
 * because none of these requests may reach it.
 */
class GatewaySecurityAndValidationTest {

    private static KafkaBroker broker;
    private static TestGateway gateway;
    private static WebTestClient http;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
        broker.createAllTopics(1);
        Path media = Files.createTempDirectory("gateway-media-");
        gateway = TestGateway.start(broker.bootstrapServers(), media, Map.of());
        http = gateway.http();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * A client for requests the gateway answers before reading their whole body: the server may drop
     * such a connection after the answer, and a pooled client could send a later test's request into
     * that closing connection.
     */
    private static WebTestClient unpooled() {
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(reactor.netty.http.client.HttpClient.newConnection()))
                .baseUrl("http://127.0.0.1:" + gateway.port())
                .responseTimeout(Duration.ofSeconds(60))
                .build();
    }

    @Test
    void shouldRejectRequestsWithoutToken() {
        http.get().uri("/api/ai/credits").exchange().expectStatus().isUnauthorized();
        http.post().uri("/api/ai/generate-text").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"prompt\":\"Test\",\"tone\":\"friendly\",\"length\":\"short\"}")
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void shouldRejectTokenSignedWithAnotherSecret() {
        String forged = TestGateway.token("mallory", List.of("super_admin"), "another-secret-that-is-also-32-bytes-long!!");
        http.get().uri("/api/ai/credits").header(HttpHeaders.AUTHORIZATION, "Bearer " + forged)
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void shouldRejectGarbageToken() {
        http.get().uri("/api/ai/credits").header(HttpHeaders.AUTHORIZATION, "Bearer not-a-jwt")
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void shouldForbidAdminEndpointsToUsers() {
        http.get().uri("/api/admin/credits/bob").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .exchange().expectStatus().isForbidden();
        http.post().uri("/api/admin/credits/alice/add").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"credits\":1000}")
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void shouldForbidUserResettingAnotherUser() {
        http.patch().uri("/api/ai/credits/reset?user_id=bob").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.message").isEqualTo("Only super_admin may reset another user's credits");
    }

    @Test
    void shouldForbidSelfResetOutsideTestMode() {
        http.patch().uri("/api/ai/credits/reset").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.statusCode").isEqualTo(403);
    }

    @Test
    void shouldAnswer404ForUnknownOrMalformedMedia() {
        String token = "Bearer " + TestGateway.userToken("alice");
        http.get().uri("/api/media/media-00000000-0000-0000-0000-000000000000").header(HttpHeaders.AUTHORIZATION, token)
                .exchange().expectStatus().isNotFound();
        http.get().uri("/api/media/..%2F..%2Fetc%2Fpasswd").header(HttpHeaders.AUTHORIZATION, token)
                .exchange().expectStatus().value(status -> assertThat(status).isIn(400, 404));
    }

    static Stream<Arguments> badTextRequests() {
        return Stream.of(
                Arguments.of("{\"prompt\":\"\",\"tone\":\"friendly\",\"length\":\"short\"}", "prompt must not be empty"),
                Arguments.of("{\"prompt\":\"   \",\"tone\":\"friendly\",\"length\":\"short\"}", "prompt must not be empty"),
                Arguments.of("{\"tone\":\"friendly\",\"length\":\"short\"}", "prompt must not be empty"),
                Arguments.of("{\"prompt\":\"Test\",\"tone\":\"angry\",\"length\":\"short\"}", "Unknown tone 'angry'"),
                Arguments.of("{\"prompt\":\"Test\",\"tone\":\"friendly\",\"length\":\"epic\"}", "Unknown length 'epic'"),
                Arguments.of("{\"prompt\":\"" + "x".repeat(4001) + "\",\"tone\":\"friendly\",\"length\":\"short\"}",
                        "prompt is longer than 4000 characters"),
                Arguments.of("{\"prompt\":", "not valid JSON"));
    }

    @ParameterizedTest
    @MethodSource("badTextRequests")
    void shouldRejectBadTextRequest(String body, String message) {
        http.post().uri("/api/ai/generate-text").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.statusCode").isEqualTo(400)
                .jsonPath("$.message").value(String.class, text -> assertThat(text).contains(message));
    }

    static Stream<Arguments> badImageRequests() {
        return Stream.of(
                Arguments.of("{\"prompt\":\"\",\"width\":1024,\"height\":1024}", "prompt must not be empty"),
                Arguments.of("{\"prompt\":\"Cat\",\"width\":100000,\"height\":1024}", "width must be between 256 and 2048"),
                Arguments.of("{\"prompt\":\"Cat\",\"width\":1024,\"height\":-5}", "height must be between 256 and 2048"),
                Arguments.of("{\"prompt\":\"Cat\",\"height\":1024}", "width is required"),
                Arguments.of("{\"prompt\":\"Cat\",\"width\":\"big\",\"height\":1024}", "not valid JSON"));
    }

    @ParameterizedTest
    @MethodSource("badImageRequests")
    void shouldRejectBadImageRequest(String body, String message) {
        http.post().uri("/api/ai/generate-image").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, text -> assertThat(text).contains(message));
    }

    @Test
    void shouldRejectUnknownOperation() {
        http.post().uri("/api/ai/operations/mind_reading").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"content\":\"hello\"}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class,
                        text -> assertThat(text).contains("Unknown operation 'mind_reading'").contains("ai_card"));
    }

    @Test
    void shouldRejectVoiceToTextWithoutUpload() {
        http.post().uri("/api/ai/operations/voice_to_text").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"content\":\"hello\"}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, text -> assertThat(text).contains("audio upload"));
    }

    @Test
    void shouldRejectMalformedIdempotencyKey() {
        http.post().uri("/api/ai/generate-text").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .header("Idempotency-Key", "has spaces and / slashes")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\":\"Test\",\"tone\":\"friendly\",\"length\":\"short\"}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, text -> assertThat(text).contains("Idempotency-Key"));
    }

    @Test
    void shouldServePrometheusOnlyWithTheInternalToken() {
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectBody().jsonPath("$.statusCode").isEqualTo(401)
                .jsonPath("$.message").value(String.class, text -> assertThat(text).contains("aicredits.internal-token"));
        // A super admin's JWT is not the internal token
        http.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.adminToken("root"))
                .exchange().expectStatus().isUnauthorized();
        http.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.INTERNAL_TOKEN)
                .exchange().expectStatus().isOk()
                .expectBody(String.class).value(text -> assertThat(text).contains("jvm_memory_used_bytes"));
        http.get().uri("/actuator").exchange().expectStatus().isUnauthorized();
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    @Test
    void shouldAnswer401WithTheJsonErrorBody() {
        http.get().uri("/api/ai/credits").exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectBody()
                .jsonPath("$.statusCode").isEqualTo(401)
                .jsonPath("$.message").isEqualTo("Authentication required: send Authorization: Bearer <JWT>");
        http.get().uri("/api/ai/credits").header(HttpHeaders.AUTHORIZATION, "Bearer not-a-jwt")
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, header -> assertThat(header).startsWith("Bearer error=\"invalid_token\""))
                .expectBody()
                .jsonPath("$.statusCode").isEqualTo(401)
                .jsonPath("$.message").value(String.class, text -> assertThat(text).startsWith("Invalid bearer token"));
    }

    @Test
    void shouldAnswer403WithTheJsonErrorBody() {
        http.get().uri("/api/admin/credits/bob").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .exchange().expectStatus().isForbidden()
                .expectBody()
                .jsonPath("$.statusCode").isEqualTo(403)
                .jsonPath("$.message").isEqualTo("This endpoint needs the super_admin role");
    }

    static Stream<Arguments> tokensWithBadClaims() {
        Instant now = Instant.now();
        return Stream.of(
                Arguments.of("no exp", new JWTClaimsSet.Builder().subject("alice").claim("roles", List.of("user")).build(), "exp"),
                Arguments.of("expired", new JWTClaimsSet.Builder().subject("alice").claim("roles", List.of("user"))
                        .expirationTime(Date.from(now.minusSeconds(3600))).build(), "expired"),
                Arguments.of("no sub", new JWTClaimsSet.Builder().claim("roles", List.of("super_admin"))
                        .expirationTime(Date.from(now.plusSeconds(600))).build(), "sub"),
                Arguments.of("blank sub", new JWTClaimsSet.Builder().subject(" ").claim("roles", List.of("user"))
                        .expirationTime(Date.from(now.plusSeconds(600))).build(), "sub"),
                Arguments.of("not yet valid", new JWTClaimsSet.Builder().subject("alice").claim("roles", List.of("user"))
                        .notBeforeTime(Date.from(now.plusSeconds(3600))).expirationTime(Date.from(now.plusSeconds(7200))).build(),
                        "used before"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokensWithBadClaims")
    void shouldRejectTokenWithMissingOrOutdatedClaims(String name, JWTClaimsSet claims, String reason) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(TestGateway.SECRET.getBytes(StandardCharsets.UTF_8)));
        http.get().uri("/api/ai/credits").header(HttpHeaders.AUTHORIZATION, "Bearer " + jwt.serialize())
                .exchange().expectStatus().isUnauthorized()
                .expectBody()
                .jsonPath("$.statusCode").isEqualTo(401)
                .jsonPath("$.message").value(String.class, text -> assertThat(text).contains("Invalid bearer token").containsIgnoringCase(reason));
    }

    @Test
    void shouldRefuseTextBodyOverItsLimitBeforeAuthentication() {
        String huge = "{\"prompt\":\"" + "x".repeat(70 * 1024) + "\",\"tone\":\"friendly\",\"length\":\"short\"}";
        unpooled().post().uri("/api/ai/generate-text").contentType(MediaType.APPLICATION_JSON).bodyValue(huge)
                .exchange().expectStatus().isEqualTo(413)
                .expectBody()
                .jsonPath("$.statusCode").isEqualTo(413)
                .jsonPath("$.message").value(String.class, text -> assertThat(text).contains("larger than 65536 bytes"));
    }

    @Test
    void shouldRefuseStreamedBodyThatGrowsPastItsLimit() {
        // Given a chunked body (no Content-Length) of 80 KB
        Flux<DataBuffer> chunks = Flux.range(0, 80).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[1024]));
        unpooled().post().uri("/api/ai/generate-text").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .contentType(MediaType.APPLICATION_JSON).body(BodyInserters.fromDataBuffers(chunks))
                .exchange().expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.statusCode").isEqualTo(413);
    }

    @Test
    void shouldRefuseAudioOver25MegabytesWith413() {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("file", new ByteArrayResource(new byte[25 * 1024 * 1024 + 1]) {
            @Override
            public String getFilename() {
                return "long.m4a";
            }
        });
        unpooled().post().uri("/api/ai/operations/voice_to_text").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange().expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.message").isEqualTo("Audio file is larger than 25 MB");
    }

    @Test
    void shouldRefuseUploadForAnotherOperationWithoutReadingIt() {
        // A 1 MB upload to a chat operation: refused before the body is read (not buffered, not 413)
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("file", new ByteArrayResource(new byte[1024 * 1024]) {
            @Override
            public String getFilename() {
                return "note.m4a";
            }
        });
        unpooled().post().uri("/api/ai/operations/ai_card").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, text -> assertThat(text).contains("Only voice_to_text"));
    }

    @Test
    void shouldRefuseUploadWithTooManyParts() {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        for (int i = 0; i < 6; i++) {
            parts.part("extra" + i, "x");
        }
        parts.part("file", "tiny".getBytes(StandardCharsets.UTF_8)).filename("note.m4a");
        unpooled().post().uri("/api/ai/operations/voice_to_text").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, text -> assertThat(text).contains("Too many parts"));
    }

    @Test
    void shouldAnswer503WhenStreamBalancesAreUnreachable() {
        http.get().uri("/api/ai/credits").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.message").value(String.class, text -> assertThat(text).contains("metering stream"));
    }
}
