package io.aicredits.gateway.apikeys;

import io.aicredits.events.ApiKey;
import io.aicredits.gateway.security.Caller;
import java.util.List;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Lets a bearer token be an API key: a token starting with {@value ApiKeyService#SECRET_PREFIX} is
 * looked up in the {@link ApiKeyRegistry} and becomes the key's user with role {@code user} (never
 * an admin) and the claim {@value #KEY_ID_CLAIM}; an unknown or revoked key is refused (401). Any
 * other token goes to the JWT decoder.
 */
public class ApiKeyJwtDecoder implements ReactiveJwtDecoder {

    /** Claim naming the API key a request came with; absent for JWTs. */
    public static final String KEY_ID_CLAIM = "api_key_id";

    private final ApiKeyRegistry registry;
    private final ReactiveJwtDecoder jwts;

    ApiKeyJwtDecoder(ApiKeyRegistry registry, ReactiveJwtDecoder jwts) {
        this.registry = registry;
        this.jwts = jwts;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        if (!token.startsWith(ApiKeyService.SECRET_PREFIX)) {
            return jwts.decode(token);
        }
        return Mono.fromCallable(() -> registry.authenticate(token)
                .map(ApiKeyJwtDecoder::asJwt)
                .orElseThrow(() -> new BadJwtException("Unknown or revoked API key")));
    }

    private static Jwt asJwt(ApiKey key) {
        return Jwt.withTokenValue("api-key:" + key.getKeyId())
                .header("typ", "api-key")
                .subject(key.getUserId())
                .claim(Caller.ROLES_CLAIM, List.of("user"))
                .claim(KEY_ID_CLAIM, key.getKeyId())
                .issuedAt(key.getCreatedAt())
                .build();
    }

    /** The API key id of a caller, or null when it came with a JWT. */
    public static String keyId(Jwt jwt) {
        return jwt.getClaimAsString(KEY_ID_CLAIM);
    }
}
