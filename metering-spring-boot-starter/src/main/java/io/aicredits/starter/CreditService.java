package io.aicredits.starter;

import io.aicredits.client.Balance;
import io.aicredits.client.CreditCommands;
import io.aicredits.events.AdjustCredits;
import io.aicredits.events.CreditCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Credits of a user: add, deduct (adjustments of the current period's allowance on
 * {@code credit.commands}) and the balance (the stream's balance query).
 *
 * <p>Each change is idempotent by the caller's key: the command id is
 * {@code credit-service:<add|deduct>:<length of userId>:<userId>:<idempotencyKey>}, which the stream
 * decides once within its dedup window (24 h by default), so retrying with the same key never changes
 * the balance twice. A change waits for that command's outcome on the stream
 * ({@code GET /balances/{userId}/commands/{commandId}}): applied completes with the balance;
 * refused fails with {@link CreditCommandException} carrying the stream's reason; no outcome within
 * {@code metering.client.stream.command-apply-timeout} fails with {@code NOT_APPLIED} (the command
 * may still apply later, once; retrying with the same key is safe). The outcome of a key is final for
 * the dedup window: a retry of a refused change is refused again, even if it would now apply. Futures
 * complete on client threads: do not block in their continuations.
 */
public class CreditService {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final CreditCommands commands;
    private final BalanceQueries balances;
    private final String actor;
    private final Duration applyTimeout;

    CreditService(CreditCommands commands, BalanceQueries balances, String actor, Duration applyTimeout) {
        this.commands = commands;
        this.balances = balances;
        this.actor = actor;
        this.applyTimeout = applyTimeout;
    }

    /** Adds {@code credits} to the current period's allowance of {@code pool}. */
    public CompletableFuture<Balance> addCredits(String userId, long credits, String pool, String idempotencyKey) {
        return apply(command(userId, idempotencyKey, "add", "addCredits", pool, credits));
    }

    /**
     * Takes {@code credits} from {@code pool} in spend order (allowance, bonus, top-ups). Refused
     * by the stream with {@link CreditCommandException} ({@code INSUFFICIENT_CREDITS}) when the pool
     * holds less: a deduction never takes a balance below zero.
     */
    public CompletableFuture<Balance> deductCredits(String userId, long credits, String pool, String idempotencyKey) {
        return apply(command(userId, idempotencyKey, "deduct", "deductCredits", pool, -credits));
    }

    /** The user's balance in every pool; a user never seen has the opening allowance of the default plan. */
    public CompletableFuture<Balance> getCreditBalance(String userId) {
        return balances.balance(Objects.requireNonNull(userId, "userId"));
    }

    private CreditCommand command(String userId, String idempotencyKey, String operation, String reason, String pool, long delta) {
        require(userId, "userId");
        require(idempotencyKey, "idempotencyKey");
        require(pool, "pool");
        if (delta == 0) {
            throw new IllegalArgumentException("credits must be positive");
        }
        if (Math.abs(delta) > 1_000_000_000L || delta == Long.MIN_VALUE) {
            throw new IllegalArgumentException("credits must be at most 1,000,000,000");
        }
        return CreditCommand.newBuilder()
                // The length prefix keeps users apart although both parts may contain ':'.
                .setCommandId("credit-service:" + operation + ":" + userId.length() + ":" + userId + ":" + idempotencyKey)
                .setUserId(userId)
                .setActor(actor)
                .setReason(reason)
                .setIssuedAt(Instant.now())
                .setCommand(AdjustCredits.newBuilder().setPool(pool).setDelta(delta).setAllowNegative(false).build())
                .build();
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private CompletableFuture<Balance> apply(CreditCommand command) {
        long deadline = System.nanoTime() + applyTimeout.toNanos();
        return commands.publish(command).thenCompose(sent -> awaitOutcome(command, deadline));
    }

    /** Polls the stream for this command's outcome until it is decided or the deadline passes. */
    private CompletableFuture<Balance> awaitOutcome(CreditCommand command, long deadline) {
        String commandId = command.getCommandId();
        return balances.commandOutcome(command.getUserId(), commandId).thenCompose(outcome -> {
            if (outcome.applied()) {
                return balances.balance(command.getUserId());
            }
            if (outcome.refused()) {
                // The stream refuses an adjustment only when it would take the pool below zero.
                boolean deduct = ((AdjustCredits) command.getCommand()).getDelta() < 0;
                return CompletableFuture.failedFuture(new CreditCommandException(deduct ? "INSUFFICIENT_CREDITS" : "REFUSED",
                        commandId, "Command " + commandId + " was refused: " + outcome.reason()));
            }
            if (System.nanoTime() > deadline) {
                return CompletableFuture.failedFuture(new CreditCommandException("NOT_APPLIED", commandId,
                        "Command " + commandId + " was accepted but has no outcome within " + applyTimeout.toMillis()
                                + " ms; it may still apply, once: retrying with the same idempotency key is safe"));
            }
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> awaitOutcome(command, deadline));
        });
    }
}
