package io.aicredits.gateway.credits;

import io.aicredits.client.Balance;
import io.aicredits.client.CommandOutcome;
import io.aicredits.client.Prices;
import io.aicredits.events.AdjustCredits;
import io.aicredits.events.CreditCommand;
import io.aicredits.events.GrantCredits;
import io.aicredits.events.GrantType;
import io.aicredits.events.ResetUser;
import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.metering.CreditCommandPublisher;
import io.aicredits.gateway.security.Caller;
import io.aicredits.gateway.web.ApiException;
import io.aicredits.gateway.web.IdempotencyKeys;
import io.aicredits.schemas.EventIds;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Balances (read from the stream) and credit commands (written to credit.commands, then awaited
 * until the stream reports this command's outcome).
 *
 * <p>A command sent with an {@code Idempotency-Key} gets the id {@link IdempotencyKeys#commandId}
 * (per endpoint, caller and target user), so a retry is the same command: the stream decides a
 * command id once within its dedup window and keeps the outcome, final for that window. Outcomes:
 * applied → the current balance (200, also for a retry of an applied command); refused → 409 with
 * the stream's reason (also for a retry, even if the command would apply now: a new key is a new
 * command); no outcome within {@code gateway.metering.command-apply-timeout} → 504 saying the
 * command may still apply.
 */
@Service
class CreditsService {

    private static final Logger log = LoggerFactory.getLogger(CreditsService.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final BalanceClient balances;
    private final CreditCommandPublisher commands;
    private final String pool;
    private final GatewayProperties.Security security;
    private final Duration applyTimeout;

    private final io.aicredits.gateway.settings.RuntimeSettings runtimeSettings;

    CreditsService(BalanceClient balances, CreditCommandPublisher commands, GatewayProperties properties,
                   io.aicredits.gateway.settings.RuntimeSettings runtimeSettings) {
        this.runtimeSettings = runtimeSettings;
        this.balances = balances;
        this.commands = commands;
        this.pool = properties.metering().pool();
        this.security = properties.security();
        this.applyTimeout = properties.metering().commandApplyTimeout();
    }

    public Mono<CreditsView> credits(String userId) {
        return balances.balance(userId).flatMap(this::creditsView);
    }

    /** The caller's stats; the estimates divide what is spendable by the prices the stream charges now. */
    public Mono<StatsView> stats(String userId) {
        return Mono.zip(balances.balance(userId), balances.prices()).map(answers -> {
            Balance balance = answers.getT1();
            Prices prices = answers.getT2();
            Balance.Pool shown = balance.pool(pool);
            long percentage = shown.limit() <= 0 ? 0 : (shown.used() * 100 + shown.limit() / 2) / shown.limit();
            long textCost = Math.max(1, prices.credits("text_generation"));
            long imageCost = Math.max(1, prices.credits("image_generation"));
            long spendable = Math.max(0, shown.balance());
            return new StatsView(shown.used(), shown.balance(), shown.limit(), percentage,
                    Timestamps.iso(balance.lastReset()), Timestamps.iso(balance.nextReset()),
                    spendable / textCost, spendable / imageCost);
        });
    }

    public Balance.Pool poolOf(Balance balance) {
        return balance.pool(pool);
    }

    /**
     * A reset of the allowance. The rule: a {@code super_admin} may reset anyone (target {@code userId},
     * default themself); a {@code user} may reset only themself, and only when
     * {@code gateway.security.test-mode} is on.
     */
    public Mono<ResetView> reset(Caller caller, String targetUserId, String idempotencyKey) {
        String target = targetUserId == null || targetUserId.isBlank() ? caller.userId() : targetUserId;
        if (!caller.superAdmin()) {
            if (!target.equals(caller.userId())) {
                return Mono.error(ApiException.forbidden("Only super_admin may reset another user's credits"));
            }
            if (!runtimeSettings.testMode(security.testMode())) {
                return Mono.error(ApiException.forbidden(
                        "Resetting your own credits is only allowed in test mode; ask a super_admin"));
            }
        }
        CreditCommand command = command("reset", target, caller, idempotencyKey, "manual reset", new ResetUser(null));
        return apply(command, idempotencyKey).flatMap(balance -> {
            log.info("🔄 Reset credits for user {} to {}", target, poolOf(balance).balance());
            return creditsView(balance).map(view -> new ResetView("Credits reset successfully", view));
        });
    }

    /** An admin's add: an admin adjustment, or a top-up/bonus grant when {@code grantType} is given. */
    public Mono<Balance> add(Caller admin, String userId, String pool, long credits, GrantType grantType, String reason,
                             String idempotencyKey) {
        Object change = grantType == null
                ? AdjustCredits.newBuilder().setPool(pool).setDelta(credits).setAllowNegative(false).build()
                : GrantCredits.newBuilder().setPool(pool).setCredits(credits).setGrantType(grantType).build();
        return apply(command("add", userId, admin, idempotencyKey, reason, change), idempotencyKey);
    }

    /** An admin's deduct: a negative adjustment that may not take the pool below zero. */
    public Mono<Balance> deduct(Caller admin, String userId, String pool, long credits, String reason, String idempotencyKey) {
        return apply(command("deduct", userId, admin, idempotencyKey, reason,
                AdjustCredits.newBuilder().setPool(pool).setDelta(-credits).setAllowNegative(false).build()), idempotencyKey);
    }

    public Mono<Balance> balance(String userId) {
        return Mono.defer(() -> balances.balance(requireUserId(userId)));
    }

    /** A target user id from a path: as long as a JWT subject may be ({@link EventIds}). */
    private static String requireUserId(String userId) {
        if (userId == null || userId.isBlank() || userId.length() > EventIds.MAX_USER_ID_LENGTH) {
            throw ApiException.badRequest("A user id must be 1-" + EventIds.MAX_USER_ID_LENGTH + " characters long");
        }
        return userId;
    }

    /** The caller's balance; {@code costs} are the stream's current prices of the operations charged to the shown pool. */
    Mono<CreditsView> creditsView(Balance balance) {
        Balance.Pool shown = balance.pool(pool);
        return balances.prices().map(prices -> new CreditsView(shown.balance(), shown.limit(),
                Timestamps.iso(balance.lastReset()), Timestamps.iso(balance.nextReset()),
                java.util.Collections.unmodifiableMap(prices.creditsIn(pool))));
    }

    /** A command for {@code userId}; its id comes from the {@code Idempotency-Key} when one was sent. */
    private static CreditCommand command(String endpoint, String userId, Caller actor, String idempotencyKey, String reason,
                                         Object change) {
        requireUserId(userId);
        String commandId = idempotencyKey == null ? "cmd-" + UUID.randomUUID()
                : IdempotencyKeys.commandId(endpoint, actor.userId(), userId, IdempotencyKeys.requireValid(idempotencyKey));
        return CreditCommand.newBuilder()
                .setCommandId(commandId)
                .setUserId(userId)
                .setActor(actor.userId())
                .setReason(reason)
                .setIssuedAt(Instant.now())
                .setCommand(change)
                .build();
    }

    /** Publishes the command and waits for its outcome: the balance once applied, 409 when refused, 504 when not known in time. */
    private Mono<Balance> apply(CreditCommand command, String idempotencyKey) {
        String commandId = command.getCommandId();
        String userId = command.getUserId();
        return commands.publish(command)
                .then(Mono.defer(() -> balances.commandOutcome(userId, commandId))
                        .filter(CommandOutcome::decided)
                        .repeatWhenEmpty(attempts -> attempts.delayElements(POLL_INTERVAL))
                        .timeout(applyTimeout)
                        .onErrorMap(TimeoutException.class, e -> notDecidedYet(commandId, idempotencyKey, e)))
                .flatMap(outcome -> outcome.applied() ? balances.balance(userId) : Mono.error(refused(commandId, outcome)));
    }

    private static ApiException refused(String commandId, CommandOutcome outcome) {
        String reason = outcome.reason() == null ? "the metering stream gave no reason" : outcome.reason();
        return new ApiException(HttpStatus.CONFLICT, "The credit command was refused: " + reason, null,
                Map.of("command_id", commandId, "state", outcome.state(), "reason", reason));
    }

    private static ApiException notDecidedYet(String commandId, String idempotencyKey, Throwable e) {
        String retry = idempotencyKey == null
                ? "check the balance before retrying (an Idempotency-Key makes a retry safe)"
                : "retrying with the same Idempotency-Key is safe: it is never applied twice";
        return new ApiException(HttpStatus.GATEWAY_TIMEOUT, "Command " + commandId
                + " was accepted but the metering stream has not applied it yet; it may still apply, once: " + retry,
                e, Map.of("command_id", commandId));
    }
}
