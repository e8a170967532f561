package io.aicredits.gateway.openai;

import org.springframework.http.HttpStatus;

/**
 * An error answered in OpenAI's format, {@code {"error": {"message", "type", "param", "code"}}}.
 * {@code retry} false adds {@code x-should-retry: false}, which the OpenAI SDKs obey instead of retrying a 429.
 */
public class OpenAiApiException extends RuntimeException {

    public static final String INVALID_REQUEST = "invalid_request_error";

    private final HttpStatus status;
    private final String type;
    private final String param;
    private final String code;
    private final boolean retry;

    public OpenAiApiException(HttpStatus status, String message, String type, String param, String code, boolean retry) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retry = retry;
    }

    /** 400 {@code invalid_request_error} about one request parameter. */
    static OpenAiApiException invalid(String param, String message) {
        return new OpenAiApiException(HttpStatus.BAD_REQUEST, message, INVALID_REQUEST, param, null, false);
    }

    /** 404 {@code model_not_found}, OpenAI's own message. */
    static OpenAiApiException modelNotFound(String model) {
        return new OpenAiApiException(HttpStatus.NOT_FOUND,
                "The model `" + model + "` does not exist or you do not have access to it.", INVALID_REQUEST, "model",
                "model_not_found", false);
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }

    public boolean retry() {
        return retry;
    }
}
