package io.aicredits.gateway.credits;

import io.aicredits.gateway.analytics.AnalyticsService;
import io.aicredits.gateway.security.Caller;
import io.aicredits.gateway.web.IdempotencyKeys;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The caller's credit endpoints; each answers for the caller (the JWT subject) only. */
@RestController
@RequestMapping("/api/ai/credits")
class CreditsController {

    private final CreditsService credits;
    private final AnalyticsService analytics;

    CreditsController(CreditsService credits, AnalyticsService analytics) {
        this.credits = credits;
        this.analytics = analytics;
    }

    @GetMapping
    Mono<CreditsView> credits(@AuthenticationPrincipal Jwt jwt) {
        return credits.credits(Caller.of(jwt).userId());
    }

    @GetMapping("/stats")
    Mono<StatsView> stats(@AuthenticationPrincipal Jwt jwt) {
        return credits.stats(Caller.of(jwt).userId());
    }

    /**
     * The caller's transaction history: their own ledger entries (every balance change, from
     * ClickHouse's {@code credit_ledger}), newest first, {@code page} from 0, {@code size} 1–1000.
     */
    @GetMapping("/history")
    Mono<HistoryView> history(@AuthenticationPrincipal Jwt jwt, @RequestParam(required = false) String page,
                              @RequestParam(required = false) String size) {
        String userId = Caller.of(jwt).userId();
        return analytics.ledgerEntries(userId, page, size).map(entries -> HistoryView.of(userId, entries));
    }

    /**
     * Resets the caller's credits (or {@code user_id}'s, for a super_admin); see {@link CreditsService#reset}.
     * An {@code Idempotency-Key} makes a retry the same reset.
     */
    @PatchMapping("/reset")
    Mono<ResetView> reset(@AuthenticationPrincipal Jwt jwt, @RequestParam(name = "user_id", required = false) String userId,
                          @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey) {
        return credits.reset(Caller.of(jwt), userId, idempotencyKey);
    }
}
