package io.aicredits.gateway.security;

import io.aicredits.gateway.web.ErrorBody;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * 401 and 403 from the security filters in the gateway's one error format
 * ({@code {"statusCode": 401, "message": "…"}}), with the {@code WWW-Authenticate} header of
 * RFC 6750 on 401.
 */
final class JsonAuthErrors implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

    static final String MISSING_TOKEN = "Authentication required: send Authorization: Bearer <JWT>";
    static final String FORBIDDEN = "This endpoint needs the super_admin role";

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException e) {
        ServerHttpResponse response = exchange.getResponse();
        if (e instanceof OAuth2AuthenticationException oauth) {
            String description = oauth.getError().getDescription();
            String message = "Invalid bearer token" + (description == null ? "" : ": " + description);
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer error=\"invalid_token\", error_description=\"" + quoted(message) + "\"");
            return ErrorBody.write(response, HttpStatus.UNAUTHORIZED, message);
        }
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return ErrorBody.write(response, HttpStatus.UNAUTHORIZED, MISSING_TOKEN);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        return ErrorBody.write(exchange.getResponse(), HttpStatus.FORBIDDEN, FORBIDDEN);
    }

    /** A header's quoted-string carries no quotes, backslashes or line breaks. */
    private static String quoted(String text) {
        return text.replaceAll("[\"\\\\\\r\\n]", "'");
    }
}
