package io.aicredits.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aicredits.gateway.GatewayProperties;
import io.aicredits.schemas.EventIds;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;

/** The claims every token must carry, and the configurations refused at start-up. */
class JwtRulesTest {

    private static final String SECRET = "a-shared-secret-of-at-least-32-bytes!!";
    private static final String ISSUER = "https://idp.example.com/";
    private static final String AUDIENCE = "ai-credits-gateway";

    private static GatewayProperties properties(GatewayProperties.Security security) {
        return new GatewayProperties(null, security, null, null, null, null, null, null);
    }

    private static Jwt.Builder validToken() {
        Instant now = Instant.now();
        return Jwt.withTokenValue("t").header("alg", "RS256").subject("alice")
                .issuer(ISSUER).audience(List.of(AUDIENCE, "another-api"))
                .issuedAt(now).expiresAt(now.plusSeconds(600));
    }

    @Test
    void shouldRefuseBothSharedSecretAndJwksAtStartUp() {
        GatewayProperties both = properties(new GatewayProperties.Security(SECRET, "https://idp.example.com/jwks", false, ISSUER, AUDIENCE));

        assertThatThrownBy(() -> new SecurityConfig().jwtDecoder(both)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not both");
    }

    @Test
    void shouldRefuseJwksWithoutIssuerAndAudienceAtStartUp() {
        assertThatThrownBy(() -> new SecurityConfig().jwtDecoder(properties(
                new GatewayProperties.Security(null, "https://idp.example.com/jwks", false, null, AUDIENCE))))
                .hasMessageContaining("gateway.security.issuer");
        assertThatThrownBy(() -> new SecurityConfig().jwtDecoder(properties(
                new GatewayProperties.Security("", "https://idp.example.com/jwks", false, ISSUER, " "))))
                .hasMessageContaining("gateway.security.audience");
    }

    @Test
    void shouldCheckIssuerAndAudienceWhenConfigured() {
        OAuth2TokenValidator<Jwt> rules = SecurityConfig.validator(new GatewayProperties.Security(SECRET, null, false, ISSUER, AUDIENCE));

        assertThat(rules.validate(validToken().build()).hasErrors()).isFalse();
        assertThat(rules.validate(validToken().issuer("https://evil.example.com/").build()).hasErrors()).isTrue();
        assertThat(rules.validate(validToken().audience(List.of("another-api")).build()).hasErrors()).isTrue();
        assertThat(rules.validate(validToken().claims(claims -> claims.remove("aud")).build()).hasErrors()).isTrue();
        assertThat(rules.validate(validToken().claims(claims -> claims.remove("iss")).build()).hasErrors()).isTrue();
    }

    @Test
    void shouldRequireExpAndSubEvenWithoutIssuerOrAudience() {
        OAuth2TokenValidator<Jwt> rules = SecurityConfig.validator(new GatewayProperties.Security(SECRET, null, false, null, null));

        assertThat(rules.validate(validToken().issuer("anyone").audience(List.of("anything")).build()).hasErrors()).isFalse();
        assertThat(rules.validate(validToken().claims(claims -> claims.remove("exp")).build()).getErrors())
                .anySatisfy(error -> assertThat(error.getDescription()).contains("exp"));
        assertThat(rules.validate(validToken().claims(claims -> claims.remove("sub")).build()).getErrors())
                .anySatisfy(error -> assertThat(error.getDescription()).contains("sub"));
    }

    @Test
    void shouldRefuseASubjectTooLongToBeAUserId() {
        OAuth2TokenValidator<Jwt> rules = SecurityConfig.validator(new GatewayProperties.Security(SECRET, null, false, null, null));

        assertThat(rules.validate(validToken().subject("u".repeat(EventIds.MAX_USER_ID_LENGTH)).build()).hasErrors()).isFalse();
        assertThat(rules.validate(validToken().subject("u".repeat(EventIds.MAX_USER_ID_LENGTH + 1)).build()).getErrors())
                .singleElement().satisfies(error -> assertThat(error.getDescription())
                        .isEqualTo("the sub claim (the user id) is 257 characters long; at most 256 are allowed"));
        assertThat(rules.validate(validToken().subject(" ").build()).getErrors())
                .anySatisfy(error -> assertThat(error.getDescription()).isEqualTo("the sub claim (the user id) is missing"));
    }

    @Test
    void shouldNotPrintTheSharedSecret() {
        assertThat(new GatewayProperties.Security(SECRET, null, true, ISSUER, null).toString())
                .doesNotContain(SECRET).contains("jwtSecret=<set>").contains("testMode=true");
    }
}
