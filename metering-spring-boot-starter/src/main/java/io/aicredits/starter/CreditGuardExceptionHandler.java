package io.aicredits.starter;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a guard's refusal, in MVC and WebFlux alike, as
 * {@code {"statusCode": 403, "message": "Insufficient AI credits. …", "error": "INSUFFICIENT_CREDITS",
 * "credits_required": 2, "credits_available": 1, "pool": "generation_credits", "next_reset": "…"}}.
 * Ordered first, so an application's catch-all advice does not turn it into a 500; a controller's
 * own {@code @ExceptionHandler(CreditGuardException.class)} still wins.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class CreditGuardExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(CreditGuardExceptionHandler.class);

    @ExceptionHandler(CreditGuardException.class)
    ResponseEntity<Map<String, Object>> refused(CreditGuardException e) {
        if (e.status() >= 500) {
            log.warn("{} {}: {}", e.status(), e.error(), e.getMessage(), e.getCause());
        }
        return ResponseEntity.status(e.status()).body(e.body());
    }
}
