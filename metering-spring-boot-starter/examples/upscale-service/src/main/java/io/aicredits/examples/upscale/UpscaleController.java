package io.aicredits.examples.upscale;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aicredits.client.Balance;
import io.aicredits.starter.CreditInfo;
import io.aicredits.starter.CreditService;
import io.aicredits.starter.RequireCredits;
import java.math.BigDecimal;
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/images/upscale}: costs what the catalog says {@code upscale} costs (2
 * generation credits by default). A short balance answers 403 before the method runs; a failure
 * inside it releases the hold.
 */
@RestController
class UpscaleController {

    private final CreditService credits;

    UpscaleController(CreditService credits) {
        this.credits = credits;
    }

    record UpscaleRequest(@JsonProperty("image_url") String imageUrl, @JsonProperty("factor") int factor) {
    }

    record UpscaleResponse(@JsonProperty("image_url") String imageUrl,
                           @JsonProperty("request_id") String requestId,
                           @JsonProperty("credits_held") long creditsHeld,
                           @JsonProperty("credits_remaining") long creditsRemaining) {
    }

    @PostMapping("/api/images/upscale")
    @RequireCredits(operation = "upscale", model = "real-esrgan")
    UpscaleResponse upscale(@RequestBody UpscaleRequest request, CreditInfo credit) {
        if (request.imageUrl() == null || request.imageUrl().isBlank()) {
            // Thrown inside the guarded method: the hold is released, nothing is charged.
            throw new IllegalArgumentException("image_url is required");
        }
        int factor = request.factor() <= 0 ? 2 : request.factor();
        // A real service calls its upscaler here; it reports what the call cost.
        credit.reportUsage(new CreditInfo.Usage("real-esrgan", 0, 0, 1, new BigDecimal("0.0040")));
        return new UpscaleResponse(request.imageUrl() + "?upscaled=" + factor + "x", credit.requestId(),
                credit.creditsHeld(), credit.balanceAfter());
    }

    /** Bad input found inside the guarded method: 400 (the hold was already released). */
    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, Object>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("statusCode", 400, "message", e.getMessage()));
    }

    @GetMapping("/api/credits")
    CompletableFuture<Balance> balance(Principal user) {
        return credits.getCreditBalance(user.getName());
    }
}
