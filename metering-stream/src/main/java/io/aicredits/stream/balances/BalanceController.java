package io.aicredits.stream.balances;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /balances/{userId}}: answered from the local store when this instance owns the key,
 * forwarded once to the owner otherwise, 503 with Retry-After while stores are unavailable.
 */
@RestController
class BalanceController {

    static final String RETRY_AFTER_SECONDS = "1";

    private final BalanceQueries runtime;
    private final OwnerClient owners;

    BalanceController(BalanceQueries runtime, OwnerClient owners) {
        this.runtime = runtime;
        this.owners = owners;
    }

    @GetMapping("/balances/{userId}")
    ResponseEntity<?> balance(@PathVariable String userId,
                              @RequestParam(name = "forwarded", defaultValue = "false") boolean forwarded) {
        if (userId.isBlank()) {
            return ResponseEntity.badRequest().body(new ErrorBody(400, "user id must not be blank"));
        }
        BalanceLookup lookup = runtime.lookup(userId);
        if (lookup instanceof BalanceLookup.Local local) {
            return ResponseEntity.ok(local.view());
        }
        if (lookup instanceof BalanceLookup.Remote remote && !forwarded) {
            BalanceView view = owners.fetch(remote.owner(), userId);
            return view == null ? unavailable("owner " + remote.owner() + " could not answer") : ResponseEntity.ok(view);
        }
        String reason = lookup instanceof BalanceLookup.Unavailable u ? u.reason() : "ownership is moving";
        return unavailable(reason);
    }

    private static ResponseEntity<ErrorBody> unavailable(String reason) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(new ErrorBody(503, "Balances are not available right now: " + reason));
    }

    record ErrorBody(int statusCode, String message) {
    }
}
