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
 * {@code credit-service:<userId>:<idempotencyKey>}, which the stream applies once within its dedup
 * window (24 h by default), so retrying with the same key never changes the balance twice. A change
 * completes with the balance once the stream shows the command as its last applied one, or fails
 * with {@link CreditCommandException} after {@code metering.client.stream.command-apply-timeout}
 * (the command may still apply later, once). Futures complete on client threads: do not block in
 * their continuations.
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
        return apply(command(userId, idempotencyKey, "addCredits", pool, credits));
    }

    /**
     * Takes {@code credits} from {@code pool} in spend order (allowance, bonus, top-ups). Refused
     * with {@link CreditCommandException} ({@code INSUFFICIENT_CREDITS}) when the pool holds less:
     * a deduction never takes a balance below zero.
     */
    public CompletableFuture<Balance> deductCredits(String userId, long credits, String pool, String idempotencyKey) {
        CreditCommand command = command(userId, idempotencyKey, "deductCredits", pool, -credits);
        return balances.balance(userId).thenCompose(balance -> {
            boolean retryOfApplied = command.getCommandId().equals(balance.lastCommandId());
            if (!retryOfApplied && balance.balance(pool) < credits) {
                return CompletableFuture.failedFuture(new CreditCommandException("INSUFFICIENT_CREDITS", command.getCommandId(),
                        "Cannot deduct " + credits + " " + pool + " from user " + userId + ": the balance is "
                                + Math.max(0, balance.balance(pool))));
            }
            return apply(command);
        });
    }

    /** The user's balance in every pool; a user never seen has the opening allowance of the default plan. */
    public CompletableFuture<Balance> getCreditBalance(String userId) {
        return balances.balance(Objects.requireNonNull(userId, "userId"));
    }

    private CreditCommand command(String userId, String idempotencyKey, String reason, String pool, long delta) {
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
                .setCommandId("credit-service:" + userId + ":" + idempotencyKey)
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
        return commands.publish(command).thenCompose(sent -> awaitApplied(command, deadline));
    }

    /** Polls the balance until the stream names the command as the last one applied to the user. */
    private CompletableFuture<Balance> awaitApplied(CreditCommand command, long deadline) {
        return balances.balance(command.getUserId()).thenCompose(balance -> {
            if (command.getCommandId().equals(balance.lastCommandId())) {
                return CompletableFuture.completedFuture(balance);
            }
            if (System.nanoTime() > deadline) {
                return CompletableFuture.failedFuture(new CreditCommandException("NOT_APPLIED", command.getCommandId(),
                        "Command " + command.getCommandId() + " was accepted but is not applied within "
                                + applyTimeout.toMillis() + " ms; check the balance again shortly"));
            }
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> awaitApplied(command, deadline));
        });
    }
}
