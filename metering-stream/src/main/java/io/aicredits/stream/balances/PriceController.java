package io.aicredits.stream.balances;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /prices}: the prices the stream charges now. The price store is global (every
 * instance holds all of {@code credit.prices}), so any instance answers; 503 with Retry-After
 * while the stream is not running.
 */
@RestController
class PriceController {

    private final PriceQueries runtime;

    PriceController(PriceQueries runtime) {
        this.runtime = runtime;
    }

    @GetMapping("/prices")
    ResponseEntity<?> prices() {
        return runtime.prices().<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                        .header(HttpHeaders.RETRY_AFTER, BalanceController.RETRY_AFTER_SECONDS)
                        .body(new BalanceController.ErrorBody(503, "Prices are not available right now")));
    }
}
