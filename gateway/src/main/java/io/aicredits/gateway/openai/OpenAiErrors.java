package io.aicredits.gateway.openai;

import io.aicredits.client.DecisionTimeoutException;
import io.aicredits.client.MeteringUnavailableException;
import io.aicredits.gateway.provider.ProviderException;
import io.aicredits.gateway.web.ApiException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/**
 * Every error of the {@code /v1} endpoints in OpenAI's format. The gateway's own errors are
 * translated: a rejected credit decision (out of credits, token limit, budget) → 429
 * {@code insufficient_quota} with the decision's message and {@code x-should-retry: false}; a
 * provider's 4xx → the same status; other provider failures → 502; metering unavailable → 503.
 */
@RestControllerAdvice(basePackageClasses = OpenAiErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OpenAiErrors {

    private static final Logger log = LoggerFactory.getLogger(OpenAiErrors.class);

    /** Rejections that mean "this user may not spend more now": OpenAI's quota error. */
    private static final Set<String> QUOTA = Set.of("INSUFFICIENT_CREDITS", "TOKEN_LIMIT_EXCEEDED", "BUDGET_EXCEEDED");

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> handle(Exception error) {
        OpenAiApiException e = translate(error);
        // JSON even when a stream was asked for (Accept: text/event-stream), as OpenAI answers: SDKs read errors as JSON.
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        if (!e.retry()) {
            answer.header("x-should-retry", "false");
        }
        return answer.body(body(e));
    }

    /** {@code {"error": {"message", "type", "param", "code"}}}. */
    static Map<String, Object> body(OpenAiApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", e.getMessage());
        error.put("type", e.type());
        error.put("param", e.param());
        error.put("code", e.code());
        return Map.of("error", error);
    }

    static OpenAiApiException translate(Throwable error) {
        if (error instanceof OpenAiApiException openAi) {
            return openAi;
        }
        if (error instanceof ApiException api) {
            return translate(api);
        }
        if (error instanceof DecisionTimeoutException) {
            log.warn("{}", error.getMessage());
            return new OpenAiApiException(HttpStatus.SERVICE_UNAVAILABLE, "Credit check timed out; nothing was charged. Please retry.",
                    "api_error", null, "metering_timeout", true);
        }
        if (error instanceof MeteringUnavailableException) {
            log.warn("{}", error.getMessage(), error.getCause());
            return new OpenAiApiException(HttpStatus.SERVICE_UNAVAILABLE, "Credit service is unavailable; nothing was charged. Please retry.",
                    "api_error", null, "metering_unavailable", true);
        }
        if (error instanceof ServerWebInputException input) {
            String message = input.getCause() instanceof DecodingException
                    ? "We could not parse the JSON body of your request. The body must be a JSON object."
                    : input.getReason() == null ? "Invalid request" : input.getReason();
            return OpenAiApiException.invalid(null, message);
        }
        if (error instanceof ResponseStatusException status) {
            HttpStatus code = HttpStatus.resolve(status.getStatusCode().value());
            return new OpenAiApiException(code == null ? HttpStatus.BAD_REQUEST : code,
                    status.getReason() == null ? String.valueOf(status.getStatusCode()) : status.getReason(),
                    OpenAiApiException.INVALID_REQUEST, null, null, false);
        }
        log.error("Unexpected error on an OpenAI-compatible endpoint", error);
        return new OpenAiApiException(HttpStatus.INTERNAL_SERVER_ERROR, "The gateway had an error while processing your request.",
                "server_error", null, null, true);
    }

    private static OpenAiApiException translate(ApiException api) {
        Object reason = api.details().get("error");
        if (reason instanceof String name && QUOTA.contains(name)) {
            return new OpenAiApiException(HttpStatus.TOO_MANY_REQUESTS, api.getMessage(), "insufficient_quota", null,
                    name.toLowerCase(Locale.ROOT), false);
        }
        if ("PROVIDER_FAILED".equals(reason) && api.getCause() instanceof ProviderException provider
                && provider.status() >= 400 && provider.status() < 500 && provider.status() != 401
                && provider.status() != 403 && provider.status() != 429) {
            // The provider refused the request itself (e.g. a parameter it does not support): the caller's to fix.
            HttpStatus status = HttpStatus.resolve(provider.status());
            return new OpenAiApiException(status == null ? HttpStatus.BAD_REQUEST : status, api.getMessage(),
                    OpenAiApiException.INVALID_REQUEST, null, "provider_rejected", false);
        }
        if ("PROVIDER_FAILED".equals(reason)) {
            return new OpenAiApiException(HttpStatus.BAD_GATEWAY, api.getMessage(), "api_error", null, "provider_failed", true);
        }
        if (api.status().is5xxServerError()) {
            return new OpenAiApiException(api.status(), api.getMessage(), "api_error", null,
                    reason instanceof String name ? name.toLowerCase(Locale.ROOT) : null, true);
        }
        return new OpenAiApiException(api.status(), api.getMessage(), OpenAiApiException.INVALID_REQUEST, null,
                reason instanceof String name ? name.toLowerCase(Locale.ROOT) : null, false);
    }
}
