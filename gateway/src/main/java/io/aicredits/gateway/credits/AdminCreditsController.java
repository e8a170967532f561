package io.aicredits.gateway.credits;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aicredits.client.Balance;
import io.aicredits.events.GrantType;
import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.security.Caller;
import io.aicredits.gateway.web.ApiException;
import io.aicredits.gateway.web.IdempotencyKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Credit management for {@code super_admin}s (the security chain guards
 * {@code /api/admin/**}): a user's balance per credit type, add credits, deduct credits.
 * Credit types are pools: {@code ai_credits}, {@code generation_credits}, {@code ai_tokens}.
 * Add and deduct accept an {@code Idempotency-Key}: a retry with it is the same command, applied
 * once; outcomes and status codes in {@link CreditsService}.
 */
@RestController
@RequestMapping("/api/admin/credits/{userId}")
class AdminCreditsController {

    private static final Pattern POOL = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final long MAX_CHANGE = 1_000_000_000L;

    private final CreditsService credits;
    private final String defaultPool;

    AdminCreditsController(CreditsService credits, GatewayProperties properties) {
        this.credits = credits;
        this.defaultPool = properties.metering().pool();
    }

    record ChangeRequest(@JsonProperty("credits") Long credits,
                         @JsonProperty("credit_type") String creditType,
                         @JsonProperty("grant_type") String grantType,
                         @JsonProperty("reason") String reason) {
    }

    record AdminBalanceView(@JsonProperty("user_id") String userId,
                            @JsonProperty("plan") String plan,
                            @JsonProperty("period_id") String periodId,
                            @JsonProperty("last_reset") String lastReset,
                            @JsonProperty("next_reset") String nextReset,
                            @JsonProperty("balances") Map<String, Long> balances,
                            @JsonProperty("pools") java.util.List<Balance.Pool> pools) {

        static AdminBalanceView of(Balance balance) {
            Map<String, Long> byType = new LinkedHashMap<>();
            balance.pools().forEach(pool -> byType.put(pool.pool(), pool.balance()));
            return new AdminBalanceView(balance.userId(), balance.plan(), balance.periodId(),
                    Timestamps.iso(balance.lastReset()), Timestamps.iso(balance.nextReset()), byType, balance.pools());
        }
    }

    @GetMapping
    Mono<AdminBalanceView> balance(@PathVariable String userId) {
        return credits.balance(userId).map(AdminBalanceView::of);
    }

    @PostMapping("/add")
    Mono<AdminBalanceView> add(@AuthenticationPrincipal Jwt jwt, @PathVariable String userId, @RequestBody ChangeRequest request,
                               @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey) {
        long amount = amount(request);
        GrantType grantType = grantType(request.grantType());
        return credits.add(Caller.of(jwt), userId, pool(request), amount, grantType, reason(request, "admin add"), idempotencyKey)
                .map(AdminBalanceView::of);
    }

    @PostMapping("/deduct")
    Mono<AdminBalanceView> deduct(@AuthenticationPrincipal Jwt jwt, @PathVariable String userId, @RequestBody ChangeRequest request,
                                  @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey) {
        return credits.deduct(Caller.of(jwt), userId, pool(request), amount(request), reason(request, "admin deduct"), idempotencyKey)
                .map(AdminBalanceView::of);
    }

    private static long amount(ChangeRequest request) {
        if (request.credits() == null || request.credits() <= 0 || request.credits() > MAX_CHANGE) {
            throw ApiException.badRequest("credits must be a whole number between 1 and " + MAX_CHANGE);
        }
        return request.credits();
    }

    private String pool(ChangeRequest request) {
        String pool = request.creditType() == null ? defaultPool : request.creditType();
        if (!POOL.matcher(pool).matches()) {
            throw ApiException.badRequest("credit_type must be a pool name such as ai_credits, generation_credits or ai_tokens");
        }
        return pool;
    }

    private static GrantType grantType(String value) {
        if (value == null) {
            return null;
        }
        try {
            return GrantType.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("grant_type must be TOP_UP or BONUS");
        }
    }

    private static String reason(ChangeRequest request, String fallback) {
        return request.reason() == null || request.reason().isBlank() ? fallback : request.reason();
    }
}
