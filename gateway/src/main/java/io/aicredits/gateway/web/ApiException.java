package io.aicredits.gateway.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** An error answered as {@code {"statusCode": …, "message": …}} plus optional machine-readable fields. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> details;

    public ApiException(HttpStatus status, String message) {
        this(status, message, null, Map.of());
    }

    public ApiException(HttpStatus status, String message, Throwable cause) {
        this(status, message, cause, Map.of());
    }

    public ApiException(HttpStatus status, String message, Throwable cause, Map<String, Object> details) {
        super(message, cause);
        this.status = status;
        this.details = new LinkedHashMap<>(details);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(HttpStatus.FORBIDDEN, message);
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, Object> details() {
        return details;
    }
}
