package io.aicredits.gateway.web;

import io.aicredits.client.DecisionTimeoutException;
import io.aicredits.client.MeteringUnavailableException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/** Every error in the gateway's one shape: {@code {"statusCode": 400, "message": "…"}} plus extra fields. */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, Object>> api(ApiException e) {
        if (e.status().is5xxServerError()) {
            log.warn("{}: {}", e.status().value(), e.getMessage(), e.getCause());
        }
        return body(e.status(), e.getMessage(), e.details());
    }

    @ExceptionHandler(DecisionTimeoutException.class)
    ResponseEntity<Map<String, Object>> decisionTimeout(DecisionTimeoutException e) {
        log.warn("{}", e.getMessage());
        return body(HttpStatus.SERVICE_UNAVAILABLE, "Credit check timed out; nothing was charged. Please retry.",
                Map.of("error", "METERING_TIMEOUT"));
    }

    @ExceptionHandler(MeteringUnavailableException.class)
    ResponseEntity<Map<String, Object>> meteringUnavailable(MeteringUnavailableException e) {
        log.warn("{}", e.getMessage(), e.getCause());
        return body(HttpStatus.SERVICE_UNAVAILABLE, "Credit service is unavailable; nothing was charged. Please retry.",
                Map.of("error", "METERING_UNAVAILABLE"));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<Map<String, Object>> badInput(ServerWebInputException e) {
        String reason = e.getCause() instanceof DecodingException ? "Request body is not valid JSON of the expected shape"
                : e.getReason() == null ? "Invalid request" : e.getReason();
        return body(HttpStatus.BAD_REQUEST, reason, Map.of());
    }

    /** A multipart body read lazily by the controller (an upload): too many parts, a malformed part. */
    @ExceptionHandler(DecodingException.class)
    ResponseEntity<Map<String, Object>> undecodable(DecodingException e) {
        return body(HttpStatus.BAD_REQUEST, "Request body could not be read: " + e.getMessage(), Map.of());
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<Map<String, Object>> status(ResponseStatusException e) {
        HttpStatusCode code = e.getStatusCode();
        return body(code, e.getReason() == null ? String.valueOf(code) : e.getReason(), Map.of());
    }

    private static ResponseEntity<Map<String, Object>> body(HttpStatusCode status, String message, Map<String, Object> details) {
        return ResponseEntity.status(status).body(ErrorBody.of(status, message, details));
    }
}
