package io.aicredits.gateway.security;

import io.aicredits.gateway.GatewayProperties;
import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * Bearer-JWT resource server. Tokens are verified with an HS256 shared secret
 * ({@code gateway.security.jwt-secret}, local runs) or the identity provider's JWKS
 * ({@code gateway.security.jwks-uri}, production). The subject is the user id; the {@code roles}
 * claim ({@code user}, {@code super_admin}) becomes {@code ROLE_*} authorities.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    static final String[] STATIC_PAGES = {"/", "/index.html", "/admin.html", "/credits.html", "/js/**", "/css/**",
            "/webjars/**", "/favicon.ico"};

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName(Caller.ROLES_CLAIM);
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus").permitAll()
                        // The pages themselves (HTML, ES modules, CSS, the chart WebJar) hold no data: every
                        // figure on them comes from the API, which stays bearer-only.
                        .pathMatchers(HttpMethod.GET, STATIC_PAGES).permitAll()
                        .pathMatchers("/api/admin/**").hasRole(Caller.SUPER_ADMIN)
                        .anyExchange().authenticated())
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt
                        .jwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(converter))))
                .build();
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(GatewayProperties properties) {
        GatewayProperties.Security security = properties.security();
        if (security.jwtSecret() != null && !security.jwtSecret().isBlank()) {
            byte[] secret = security.jwtSecret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalStateException("gateway.security.jwt-secret must be at least 32 bytes for HS256");
            }
            return NimbusReactiveJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
        }
        if (security.jwksUri() != null && !security.jwksUri().isBlank()) {
            return NimbusReactiveJwtDecoder.withJwkSetUri(security.jwksUri()).build();
        }
        throw new IllegalStateException("Set gateway.security.jwt-secret (HS256, local) or gateway.security.jwks-uri (production)");
    }
}
