package io.aicredits.gateway.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The gateway's one error format: {@code {"statusCode": 400, "message": "…"}} plus machine-readable fields. */
public final class ErrorBody {

    private ErrorBody() {
    }

    public static Map<String, Object> of(HttpStatusCode status, String message, Map<String, Object> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", status.value());
        body.put("message", message);
        body.putAll(details);
        return body;
    }

    /** Writes the error straight to a response, for filters that answer before any controller. */
    public static Mono<Void> write(ServerHttpResponse response, HttpStatusCode status, String message) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] json = JsonMapper.shared().writeValueAsBytes(of(status, message, Map.of()));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(json)));
    }
}
