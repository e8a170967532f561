package io.aicredits.stream.balances;

import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /balances/{userId}} and {@code GET /balances/{userId}/commands/{commandId}}: answered
 * from the local store when this instance owns the user's key, forwarded once to the owner
 * otherwise, 503 with Retry-After while stores are unavailable.
 */
@RestController
class BalanceController {

    static final String RETRY_AFTER_SECONDS = "1";

    private final BalanceQueries balances;
    private final CommandQueries commands;
    private final OwnerClient owners;

    BalanceController(BalanceQueries balances, CommandQueries commands, OwnerClient owners) {
        this.balances = balances;
        this.commands = commands;
        this.owners = owners;
    }

    @GetMapping("/balances/{userId}")
    ResponseEntity<?> balance(@PathVariable String userId,
                              @RequestParam(name = "forwarded", defaultValue = "false") boolean forwarded) {
        if (userId.isBlank()) {
            return badRequest("user id must not be blank");
        }
        return answer(balances.lookup(userId), forwarded,
                owner -> owners.fetch(owner.host(), owner.port(), "/balances/{user}", BalanceView.class, userId));
    }

    /** What became of one of the user's credit commands: applied, refused (with the reason) or unknown. */
    @GetMapping("/balances/{userId}/commands/{commandId}")
    ResponseEntity<?> command(@PathVariable String userId, @PathVariable String commandId,
                              @RequestParam(name = "forwarded", defaultValue = "false") boolean forwarded) {
        if (userId.isBlank() || commandId.isBlank()) {
            return badRequest("user id and command id must not be blank");
        }
        return answer(commands.commandOutcome(userId, commandId), forwarded,
                owner -> owners.fetch(owner.host(), owner.port(), "/balances/{user}/commands/{command}",
                        CommandOutcomeView.class, userId, commandId));
    }

    private static <T> ResponseEntity<?> answer(BalanceLookup<T> lookup, boolean forwarded,
                                                Function<org.apache.kafka.streams.state.HostInfo, T> askOwner) {
        if (lookup instanceof BalanceLookup.Local<T> local) {
            return ResponseEntity.ok(local.view());
        }
        if (lookup instanceof BalanceLookup.Remote<T> remote && !forwarded) {
            T view = askOwner.apply(remote.owner());
            return view == null ? unavailable("owner " + remote.owner() + " could not answer") : ResponseEntity.ok(view);
        }
        String reason = lookup instanceof BalanceLookup.Unavailable<T> u ? u.reason() : "ownership is moving";
        return unavailable(reason);
    }

    private static ResponseEntity<ErrorBody> badRequest(String message) {
        return ResponseEntity.badRequest().body(new ErrorBody(400, message));
    }

    private static ResponseEntity<ErrorBody> unavailable(String reason) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(new ErrorBody(503, "Balances are not available right now: " + reason));
    }

    record ErrorBody(int statusCode, String message) {
    }
}
