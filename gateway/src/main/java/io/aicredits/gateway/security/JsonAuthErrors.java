package io.aicredits.gateway.security;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

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
            return write(response, HttpStatus.UNAUTHORIZED, message);
        }
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return write(response, HttpStatus.UNAUTHORIZED, MISSING_TOKEN);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        return write(exchange.getResponse(), HttpStatus.FORBIDDEN, FORBIDDEN);
    }

    static Mono<Void> write(ServerHttpResponse response, HttpStatus status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", status.value());
        body.put("message", message);
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        DataBuffer buffer = response.bufferFactory().wrap(JsonMapper.shared().writeValueAsBytes(body));
        return response.writeWith(Mono.just(buffer));
    }

    /** A header's quoted-string carries no quotes, backslashes or line breaks. */
    private static String quoted(String text) {
        return text.replaceAll("[\"\\\\\\r\\n]", "'");
    }
}
