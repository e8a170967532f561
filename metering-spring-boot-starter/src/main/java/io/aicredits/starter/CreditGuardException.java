package io.aicredits.starter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a {@link RequireCredits} method did not run. The starter answers it as
 * {@code {"statusCode": …, "message": "…", "error": "…", …details}}; an application that wants
 * another shape handles this type in its own {@code @ExceptionHandler}.
 */
public abstract class CreditGuardException extends RuntimeException {

    private final int status;
    private final String error;
    private final Map<String, Object> details;

    protected CreditGuardException(int status, String error, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.error = error;
        this.details = Map.copyOf(details);
    }

    /** The HTTP status to answer. */
    public int status() {
        return status;
    }

    /** Machine-readable reason, e.g. {@code INSUFFICIENT_CREDITS}, {@code METERING_UNAVAILABLE}. */
    public String error() {
        return error;
    }

    /** Extra fields of the answer. */
    public Map<String, Object> details() {
        return details;
    }

    /** The answer's JSON body. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", status);
        body.put("message", getMessage());
        body.put("error", error);
        body.putAll(details);
        return body;
    }
}
