package io.aicredits.gateway.security;

import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.web.ErrorBody;
import io.aicredits.internal.InternalToken;
import io.aicredits.schemas.EventIds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import reactor.core.publisher.Mono;

/**
 * Bearer-JWT resource server. Tokens are verified with an HS256 shared secret
 * ({@code gateway.security.jwt-secret}, local runs) or the identity provider's JWKS
 * ({@code gateway.security.jwks-uri}, production); setting both is refused at start-up. Every
 * token needs {@code exp} and {@code sub}; {@code iss} and {@code aud} are checked when
 * configured, and must be configured in JWKS mode. The subject is the user id; the {@code roles}
 * claim ({@code user}, {@code super_admin}) becomes {@code ROLE_*} authorities.
 *
 * <p>The actuator is for internal callers: health is open, every other endpoint (Prometheus
 * included) needs the {@link InternalToken}, not a user's JWT.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    static final String[] STATIC_PAGES = {"/", "/index.html", "/admin.html", "/credits.html", "/js/**", "/css/**",
            "/webjars/**", "/favicon.ico"};

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain actuatorFilterChain(ServerHttpSecurity http, InternalToken token) {
        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/actuator", "/actuator/**"))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(InternalToken.HEALTH_PATH, InternalToken.HEALTH_PATH + "/**").permitAll()
                        .anyExchange().access((authentication, context) -> Mono.just(new AuthorizationDecision(
                                token.accepts(context.getExchange().getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))))))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((exchange, e) -> internalRefusal(exchange.getResponse(), token))
                        .accessDeniedHandler((exchange, e) -> internalRefusal(exchange.getResponse(), token)))
                .build();
    }

    private static Mono<Void> internalRefusal(ServerHttpResponse response, InternalToken token) {
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return ErrorBody.write(response, HttpStatus.UNAUTHORIZED, token.refusalMessage());
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName(Caller.ROLES_CLAIM);
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);
        JsonAuthErrors errors = new JsonAuthErrors();
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .authorizeExchange(exchanges -> exchanges
                        // The pages themselves (HTML, ES modules, CSS, the chart WebJar) hold no data: every
                        // figure on them comes from the API, which stays bearer-only.
                        .pathMatchers(HttpMethod.GET, STATIC_PAGES).permitAll()
                        .pathMatchers("/api/admin/**").hasRole(Caller.SUPER_ADMIN)
                        .anyExchange().authenticated())
                .exceptionHandling(handling -> handling.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .oauth2ResourceServer(server -> server
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors)
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(converter))))
                .build();
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(GatewayProperties properties) {
        GatewayProperties.Security security = properties.security();
        boolean hasSecret = isSet(security.jwtSecret());
        boolean hasJwks = isSet(security.jwksUri());
        if (hasSecret && hasJwks) {
            throw new IllegalStateException("Set either gateway.security.jwt-secret (HS256) or gateway.security.jwks-uri, not both");
        }
        NimbusReactiveJwtDecoder decoder;
        if (hasSecret) {
            byte[] secret = security.jwtSecret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalStateException("gateway.security.jwt-secret must be at least 32 bytes for HS256");
            }
            decoder = NimbusReactiveJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
        } else if (hasJwks) {
            if (!isSet(security.issuer()) || !isSet(security.audience())) {
                throw new IllegalStateException(
                        "gateway.security.jwks-uri needs gateway.security.issuer and gateway.security.audience: "
                                + "an identity provider signs tokens for other audiences too");
            }
            decoder = NimbusReactiveJwtDecoder.withJwkSetUri(security.jwksUri()).build();
        } else {
            throw new IllegalStateException("Set gateway.security.jwt-secret (HS256, local) or gateway.security.jwks-uri (production)");
        }
        decoder.setJwtValidator(validator(security));
        return decoder;
    }

    /** exp (and nbf) in time, exp present, sub a user id ({@link #subjectIsAUserId}), iss and aud as configured. */
    static OAuth2TokenValidator<Jwt> validator(GatewayProperties.Security security) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator());
        validators.add(new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull));
        validators.add(SecurityConfig::subjectIsAUserId);
        if (isSet(security.issuer())) {
            validators.add(new JwtIssuerValidator(security.issuer()));
        }
        if (isSet(security.audience())) {
            validators.add(new JwtAudienceValidator(security.audience()));
        }
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    /** The subject is the user id: present, and short enough for every id built from it ({@link EventIds}). */
    private static OAuth2TokenValidatorResult subjectIsAUserId(Jwt jwt) {
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank()) {
            return invalid("the sub claim (the user id) is missing");
        }
        if (subject.length() > EventIds.MAX_USER_ID_LENGTH) {
            return invalid("the sub claim (the user id) is " + subject.length() + " characters long; at most "
                    + EventIds.MAX_USER_ID_LENGTH + " are allowed");
        }
        return OAuth2TokenValidatorResult.success();
    }

    private static OAuth2TokenValidatorResult invalid(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
