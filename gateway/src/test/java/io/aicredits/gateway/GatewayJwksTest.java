package io.aicredits.gateway;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.aicredits.infra.KafkaBroker;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** Production auth: tokens verified against the identity provider's JWKS URI (RS256), no shared secret. */
class GatewayJwksTest {

    private static final String ISSUER = "https://idp.test/";
    private static final String AUDIENCE = "ai-credits-gateway";

    private static KafkaBroker broker;
    private static HttpServer identityProvider;
    private static RSAKey signingKey;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
        byte[] jwks = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        identityProvider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        identityProvider.createContext("/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        identityProvider.start();
        broker = KafkaBroker.start();
        broker.createAllTopics(1);
        gateway = TestGateway.start(broker.bootstrapServers(), Files.createTempDirectory("gateway-media-"), Map.of(
                "gateway.security.jwt-secret", "",
                "gateway.security.jwks-uri",
                "http://127.0.0.1:" + identityProvider.getAddress().getPort() + "/.well-known/jwks.json",
                "gateway.security.issuer", ISSUER,
                "gateway.security.audience", AUDIENCE));
    }

    @AfterAll
    static void stop() {
        try {
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            if (identityProvider != null) {
                identityProvider.stop(0);
            }
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static String rs256(String subject, List<String> roles) throws Exception {
        return rs256(subject, roles, ISSUER, AUDIENCE);
    }

    private static String rs256(String subject, List<String> roles, String issuer, String audience) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject(subject).claim("roles", roles).issuer(issuer).audience(audience)
                        .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }

    @Test
    void shouldRejectIdentityProviderTokenForAnotherAudienceOrIssuer() throws Exception {
        gateway.http().get().uri("/api/admin/credits/alice")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + rs256("root", List.of("super_admin"), ISSUER, "another-app"))
                .exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.message").value(String.class, text -> org.assertj.core.api.Assertions.assertThat(text).contains("aud"));
        gateway.http().get().uri("/api/admin/credits/alice")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + rs256("root", List.of("super_admin"), "https://other-idp.test/", AUDIENCE))
                .exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.message").value(String.class, text -> org.assertj.core.api.Assertions.assertThat(text).contains("iss"));
    }

    @Test
    void shouldAcceptTokenSignedByIdentityProviderKey() throws Exception {
        // A valid user token authenticates (then the reset rule, not auth, refuses resetting someone else)
        gateway.http().patch().uri("/api/ai/credits/reset?user_id=bob")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + rs256("alice", List.of("user")))
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.message").isEqualTo("Only super_admin may reset another user's credits");
    }

    @Test
    void shouldRejectSharedSecretTokenWhenJwksIsConfigured() {
        gateway.http().get().uri("/api/ai/credits")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestGateway.userToken("alice"))
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void shouldRejectTokenSignedByAnotherKey() throws Exception {
        RSAKey other = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("idp-key-1").build(),
                new JWTClaimsSet.Builder().subject("mallory").claim("roles", List.of("super_admin")).issuer(ISSUER).audience(AUDIENCE)
                        .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        jwt.sign(new RSASSASigner(other));
        gateway.http().get().uri("/api/admin/credits/alice")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + jwt.serialize())
                .exchange().expectStatus().isUnauthorized();
    }
}
