package io.aicredits.stream.processing;

import static io.aicredits.stream.processing.InvalidEventException.isBlank;
import static io.aicredits.stream.processing.InvalidEventException.requireId;
import static io.aicredits.stream.processing.InvalidEventException.requireKeyIsUser;

import io.aicredits.events.AdjustCredits;
import io.aicredits.events.CreditCommand;
import io.aicredits.events.GrantCredits;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.PeriodOpened;
import io.aicredits.events.ResetUser;
import io.aicredits.events.SetPlan;
import io.aicredits.stream.MeteringSettings;
import io.aicredits.stream.credits.Account;
import io.aicredits.stream.credits.CreditBook;
import io.aicredits.stream.credits.PeriodMark;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code credit.commands}: grants, adjustments, plan changes and per-user resets, each once
 * per command id within the dedup window, recording each one's {@link CommandOutcome} (a refused
 * command is also dead-lettered with its reason); and {@code PeriodOpened}, which refills every account of
 * the partition still in an earlier period.
 */
final class CommandApplier {

    private static final Logger log = LoggerFactory.getLogger(CommandApplier.class);

    private final MeteringSettings settings;
    private final CreditBook book;
    private final Accounts accounts;
    private final Idempotency idempotency;
    private final Outputs outputs;

    CommandApplier(MeteringSettings settings, CreditBook book, Accounts accounts, Idempotency idempotency, Outputs outputs) {
        this.settings = settings;
        this.book = book;
        this.accounts = accounts;
        this.idempotency = idempotency;
        this.outputs = outputs;
    }

    /**
     * @param partition the input partition, for the log
     * @param appliedAt wall-clock time, from which the command's outcome is remembered for the dedup window
     */
    void onCommand(String key, CreditCommand cmd, long timestamp, int partition, long appliedAt) {
        if (isBlank(cmd.getCommandId())) {
            throw new InvalidEventException("CreditCommand needs command_id");
        }
        Object body = cmd.getCommand();
        if (body instanceof PeriodOpened opened) {
            onPeriodOpened(opened, timestamp, partition);
            return;
        }
        if (isBlank(cmd.getUserId())) {
            throw new InvalidEventException("command " + cmd.getCommandId() + " has no user_id");
        }
        requireId("CreditCommand command_id", cmd.getCommandId());
        requireId("CreditCommand user_id", cmd.getUserId());
        requireKeyIsUser(key, cmd.getUserId());
        CommandOutcome earlier = idempotency.commandOutcome(cmd.getCommandId());
        if (earlier != null) {
            log.info("Command {} already {}: ignored", cmd.getCommandId(), earlier.applied() ? "applied" : "refused");
            return;
        }
        try {
            apply(cmd, body, timestamp);
        } catch (InvalidEventException e) {
            // The outcome is final for the dedup window: a repeat of this id is refused again, not re-tried.
            idempotency.commandDecided(cmd.getCommandId(), CommandOutcome.refused(cmd.getUserId(), e.getMessage(), appliedAt));
            throw e;
        }
        idempotency.commandDecided(cmd.getCommandId(), CommandOutcome.applied(cmd.getUserId(), appliedAt));
    }

    /** Applies one user's command and saves the account; throws {@link InvalidEventException} when it is refused. */
    private void apply(CreditCommand cmd, Object body, long timestamp) {
        List<LedgerEntry> ledger = new ArrayList<>();
        Account account = accounts.load(cmd.getUserId(), timestamp, ledger);
        if (body instanceof GrantCredits grant) {
            if (grant.getCredits() <= 0) {
                throw new InvalidEventException("grant " + cmd.getCommandId() + " must have positive credits");
            }
            Long expiresAt = grant.getExpiresAt() == null ? null : grant.getExpiresAt().toEpochMilli();
            book.grant(account, grant.getPool(), grant.getCredits(), grant.getGrantType().name(), expiresAt,
                    cmd.getCommandId(), timestamp, ledger);
        } else if (body instanceof AdjustCredits adjust) {
            if (!book.adjust(account, adjust.getPool(), adjust.getDelta(), adjust.getAllowNegative(), cmd.getCommandId(),
                    timestamp, ledger)) {
                throw new InvalidEventException("adjustment " + cmd.getCommandId() + " of " + adjust.getDelta()
                        + " would take " + adjust.getPool() + " of user " + cmd.getUserId() + " below zero");
            }
        } else if (body instanceof SetPlan plan) {
            if (!settings.plans().containsKey(plan.getPlan())) {
                throw new InvalidEventException("unknown plan " + plan.getPlan() + "; known: " + settings.plans().keySet());
            }
            book.setPlan(account, plan.getPlan(), cmd.getCommandId(), timestamp, ledger);
        } else if (body instanceof ResetUser reset) {
            // The reset takes effect when it was issued (last_reset = issued_at), not when it was processed.
            book.refills().resetUser(account, reset.getPool(), cmd.getCommandId(), cmd.getIssuedAt().toEpochMilli(), ledger);
            log.info("Reset credits for user {} to {}", account.userId, CreditBook.describeLimits(account));
        } else {
            throw new InvalidEventException("unsupported command " + body.getClass().getSimpleName());
        }
        accounts.save(account);
        outputs.ledger(ledger);
    }

    private void onPeriodOpened(PeriodOpened opened, long timestamp, int partition) {
        requireOurZone(opened);
        PeriodMark next = new PeriodMark(opened.getPeriodId(), opened.getStartAt().toEpochMilli());
        List<Account> stale = accounts.openPeriod(next);
        if (stale == null) {
            log.info("Period {} already opened on partition {}: ignored", opened.getPeriodId(), partition);
            return;
        }
        log.info("Starting monthly AI credits reset for period {} on partition {}", opened.getPeriodId(), partition);
        for (Account account : stale) {
            List<LedgerEntry> ledger = new ArrayList<>();
            book.refills().openPeriod(account, next, timestamp, ledger);
            log.info("Reset credits for user {} to {}", account.userId, CreditBook.describeLimits(account));
            accounts.save(account);
            outputs.ledger(ledger);
        }
        log.info("Monthly reset completed for {} users", stale.size());
    }

    /**
     * A period opened in another zone starts at another instant than this stream's months: applying
     * it would refill every active user a second time in the month. Such an event is refused.
     */
    private void requireOurZone(PeriodOpened opened) {
        ZoneId zone;
        try {
            zone = ZoneId.of(opened.getZone());
        } catch (DateTimeException e) {
            throw new InvalidEventException("PeriodOpened " + opened.getPeriodId() + " names an unknown zone '" + opened.getZone() + "'");
        }
        if (!zone.getRules().equals(settings.zone().getRules())) {
            throw new InvalidEventException("PeriodOpened " + opened.getPeriodId() + " is in zone " + zone
                    + " but this stream's periods are in " + settings.zone() + " (metering.zone): the reset scheduler and the stream must use one zone");
        }
    }
}
