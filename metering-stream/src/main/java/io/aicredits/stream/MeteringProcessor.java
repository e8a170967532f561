package io.aicredits.stream;

import io.aicredits.events.AdjustCredits;
import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditCommand;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.GrantCredits;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.OperationPrice;
import io.aicredits.events.PeriodOpened;
import io.aicredits.events.ResetUser;
import io.aicredits.events.SetPlan;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.DeadLetters;
import io.aicredits.schemas.EventDecodingException;
import io.aicredits.stream.limits.LimitDefaults;
import io.aicredits.stream.limits.UsageLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All per-user money logic: decisions and holds for {@code ai.requests}, settlement for
 * {@code ai.usage}, grants/plans/resets/periods for {@code credit.commands}. Inputs arrive as raw
 * bytes and are decoded here, so an undecodable record goes to the dead-letter topic with its
 * source coordinates instead of stopping the task.
 */
final class MeteringProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(MeteringProcessor.class);
    private static final String PARTITION_PERIOD_KEY = "partition";
    private static final String HOLD_TAG = "h";
    private static final String DECISION_TAG = "d";
    private static final String COMMAND_TAG = "c";

    private final MeteringSettings settings;
    private final MeteringMetrics metrics;
    private final CreditBook book;
    private final UsageLimits limits;
    private final AvroSerde<AiRequest> requestSerde = AvroSerdes.aiRequest();
    private final AvroSerde<UsageEvent> usageSerde = AvroSerdes.usageEvent();
    private final AvroSerde<CreditCommand> commandSerde = AvroSerdes.creditCommand();
    private final AvroSerde<OperationPrice> priceSerde = AvroSerdes.operationPrice();

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, Account> balances;
    private KeyValueStore<String, Hold> holds;
    private KeyValueStore<String, CreditDecision> decisions;
    private KeyValueStore<String, Long> commands;
    private KeyValueStore<String, PeriodMark> periodsStore;
    private KeyValueStore<String, byte[]> prices;
    private TimeIndex holdExpiry;
    private TimeIndex dedupExpiry;

    MeteringProcessor(MeteringSettings settings, MeteringMetrics metrics, LimitDefaults limitDefaults) {
        this.settings = settings;
        this.metrics = metrics;
        this.book = new CreditBook(settings);
        this.limits = new UsageLimits(limitDefaults);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.balances = context.getStateStore(MeteringTopology.BALANCES_STORE);
        this.holds = context.getStateStore(MeteringTopology.HOLDS_STORE);
        this.decisions = context.getStateStore(MeteringTopology.DECISIONS_STORE);
        this.commands = context.getStateStore(MeteringTopology.COMMANDS_STORE);
        this.periodsStore = context.getStateStore(MeteringTopology.PERIODS_STORE);
        this.prices = context.getStateStore(MeteringTopology.PRICES_STORE);
        this.holdExpiry = new TimeIndex(context.getStateStore(MeteringTopology.HOLD_EXPIRY_STORE), true);
        this.dedupExpiry = new TimeIndex(context.getStateStore(MeteringTopology.DEDUP_EXPIRY_STORE), false);
        this.limits.init(context.getStateStore(MeteringTopology.SETTINGS_STORE));
        // Wall clock, not stream time: a hold must expire even when no new records arrive.
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        long started = System.nanoTime();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        String topic = source.topic();
        try {
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            if (topic.equals(settings.topics().requests())) {
                onRequest(key, requireValue(requestSerde.decode(topic, record.value())), record.timestamp());
            } else if (topic.equals(settings.topics().usage())) {
                onUsage(key, requireValue(usageSerde.decode(topic, record.value())), record.timestamp());
            } else if (topic.equals(settings.topics().commands())) {
                onCommand(key, requireValue(commandSerde.decode(topic, record.value())), record.timestamp());
            } else {
                throw new IllegalStateException("metering processor is not subscribed to " + topic);
            }
        } catch (EventDecodingException | InvalidEventException e) {
            deadLetter(record, source, e);
        } finally {
            metrics.processed(System.nanoTime() - started);
        }
    }

    private static <T> T requireValue(T value) {
        if (value == null) {
            throw new InvalidEventException("record has no value (tombstone) on an event topic");
        }
        return value;
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordMetadata source, RuntimeException e) {
        log.warn("Dead-lettering record {}-{}@{}: {}", source.topic(), source.partition(), source.offset(), e.getMessage());
        var headers = DeadLetters.describe(new RecordHeaders(), e.getMessage(), e,
                source.topic(), source.partition(), source.offset(), "metering-stream");
        context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers),
                MeteringTopology.DLQ_SINK);
        metrics.deadLetter(source.topic());
    }

    // ---------------------------------------------------------------- requests

    private void onRequest(String key, AiRequest req, long timestamp) {
        if (isBlank(req.getRequestId()) || isBlank(req.getUserId())) {
            throw new InvalidEventException("AiRequest needs request_id and user_id");
        }
        requireKeyIsUser(key, req.getUserId());
        long now = context.currentSystemTimeMs();
        CreditDecision earlier = decisions.get(req.getRequestId());
        if (earlier != null) {
            CreditDecision again = CreditDecision.newBuilder(earlier).setDuplicate(true).build();
            metrics.decision(req.getOperationType(), again.getApproved(), true);
            reply(again, req.getReplyPartition(), timestamp);
            return;
        }
        List<LedgerEntry> ledger = new ArrayList<>();
        Account account = load(req.getUserId(), timestamp, ledger);
        MeteringSettings.Price price = priceOf(req.getOperationType());
        CreditDecision decision;
        if (price == null) {
            decision = reject(req, account, poolOr(req.getPool(), "unknown"), DecisionReason.UNKNOWN_OPERATION, 0,
                    "Unknown operation " + req.getOperationType() + ".", now);
        } else {
            String pool = poolOr(req.getPool(), price.pool());
            long required = book.priceOf(price, req.getEstimatedTokens(), req.getEstimatedCredits());
            Account.Pool p = account.pool(pool);
            long estimatedTokens = req.getEstimatedTokens() == null ? 0 : req.getEstimatedTokens();
            UsageLimits.Breach breach = required < 0 ? null : limits.check(account,
                    price.tokenPriced() || estimatedTokens > 0, estimatedTokens,
                    book.periods().usDate(book.periods().nextReset(account.periodStart)));
            if (required < 0) {
                decision = reject(req, account, pool, DecisionReason.INVALID_REQUEST, 0, "Estimates must not be negative.", now);
            } else if (breach != null) {
                log.info("Rejected request {} of user {} ({}): {}", req.getRequestId(), account.userId, breach.reason(),
                        breach.message());
                decision = reject(req, account, pool, breach.reason(), required, breach.message(), now);
            } else if (p.balance() >= required) {
                long expiresAt = now + settings.holdTimeout().toMillis();
                Hold hold = book.placeHold(account, pool, required, req.getRequestId(), req.getOperationType(),
                        price.tokensPerCredit(), timestamp, expiresAt, ledger);
                UsageLimits.holdPlaced(account, hold, estimatedTokens);
                holds.put(hold.requestId, hold);
                holdExpiry.add(hold.expiresAt, HOLD_TAG, hold.requestId);
                log.info("Deducted {} credits from user {} ({}). New balance: {}", required, account.userId,
                        req.getOperationType(), p.balance());
                decision = decisionBase(req, account, pool, now)
                        .setApproved(true).setReason(DecisionReason.APPROVED)
                        .setCreditsRequired(required).setCreditsHeld(required)
                        .setHoldId(hold.requestId).setHoldExpiresAt(Instant.ofEpochMilli(expiresAt))
                        .build();
            } else {
                long nextReset = book.periods().nextReset(account.periodStart);
                decision = reject(req, account, pool, DecisionReason.INSUFFICIENT_CREDITS, required,
                        "Insufficient AI credits. You have " + Math.max(0, p.balance()) + " credits, but need " + required
                                + ". Credits will reset on " + book.periods().usDate(nextReset) + ".", now);
            }
        }
        balances.put(account.userId, account);
        decisions.put(req.getRequestId(), decision);
        dedupExpiry.add(decision.getDecidedAt().toEpochMilli(), DECISION_TAG, req.getRequestId());
        emit(ledger);
        metrics.decision(req.getOperationType(), decision.getApproved(), false);
        reply(decision, req.getReplyPartition(), timestamp);
    }

    private CreditDecision reject(AiRequest req, Account account, String pool, DecisionReason reason, long required,
                                  String message, long now) {
        return decisionBase(req, account, pool, now)
                .setApproved(false).setReason(reason).setMessage(message)
                .setCreditsRequired(required).setCreditsHeld(0)
                .build();
    }

    private CreditDecision.Builder decisionBase(AiRequest req, Account account, String pool, long now) {
        Account.Pool p = account.pools.get(pool);
        return CreditDecision.newBuilder()
                .setRequestId(req.getRequestId())
                .setUserId(req.getUserId())
                .setOperationType(req.getOperationType())
                .setPool(pool)
                .setBalance(p == null ? 0 : p.balance())
                .setCreditsLimit(p == null ? 0 : p.limit)
                .setPeriodStart(Instant.ofEpochMilli(account.periodStart))
                .setNextReset(Instant.ofEpochMilli(book.periods().nextReset(account.periodStart)))
                .setDuplicate(false)
                .setDecidedAt(Instant.ofEpochMilli(now));
    }

    private void reply(CreditDecision decision, Integer replyPartition, long timestamp) {
        context.forward(new Record<Object, Object>(decision.getRequestId(), new RoutedDecision(decision, replyPartition), timestamp),
                MeteringTopology.DECISIONS_SINK);
    }

    /** The operation's price: a {@code credit.prices} override if present and readable, else the configured default. */
    private MeteringSettings.Price priceOf(String operation) {
        byte[] override = prices.get(operation);
        if (override != null) {
            try {
                OperationPrice p = priceSerde.decode(settings.topics().prices(), override);
                return new MeteringSettings.Price(p.getPool(), p.getCredits(), p.getTokensPerCredit(), p.getModel());
            } catch (EventDecodingException e) {
                log.error("Ignoring undecodable price override for {}; using the configured default", operation, e);
            }
        }
        return settings.catalog().get(operation);
    }

    // ---------------------------------------------------------------- usage

    private void onUsage(String key, UsageEvent usage, long timestamp) {
        if (isBlank(usage.getRequestId()) || isBlank(usage.getUserId())) {
            throw new InvalidEventException("UsageEvent needs request_id and user_id");
        }
        requireKeyIsUser(key, usage.getUserId());
        long now = context.currentSystemTimeMs();
        List<LedgerEntry> ledger = new ArrayList<>();
        Hold hold = holds.get(usage.getRequestId());
        if (hold != null && !hold.userId.equals(usage.getUserId())) {
            throw new InvalidEventException("usage " + usage.getId() + " names user " + usage.getUserId()
                    + " but request " + usage.getRequestId() + " belongs to another user");
        }
        Account account = load(usage.getUserId(), timestamp, ledger);
        if (hold == null) {
            ledger.add(CreditBook.entry(account, poolOr(usage.getPool(), poolOfOperation(usage.getOperationType())),
                    LedgerKind.OTHER, 0, usage.getRequestId(), usage.getOperationType(),
                    "unknown usage " + usage.getId() + ": no hold for request " + usage.getRequestId() + ", nothing charged", now));
            log.warn("Usage {} for unknown request {} of user {}: nothing charged", usage.getId(), usage.getRequestId(), usage.getUserId());
        } else if (hold.state == Hold.State.OPEN) {
            UsageLimits.holdClosed(account, hold);
            UsageLimits.used(account, usage);
            if (usage.getStatus() == UsageStatus.FAILED) {
                book.release(account, hold, LedgerKind.HOLD_RELEASED, Hold.State.RELEASED, now, ledger);
            } else {
                long actual = actualCredits(hold, usage);
                book.settle(account, hold, actual, now, ledger);
                log.info("Settled {} credits for user {} ({}). New balance: {}", actual, account.userId,
                        hold.operationType, account.pool(hold.pool).balance());
            }
            putClosed(hold);
        } else if (hold.state == Hold.State.EXPIRED && usage.getStatus() == UsageStatus.SUCCEEDED) {
            book.chargeLate(account, hold, actualCredits(hold, usage), now, ledger);
            UsageLimits.used(account, usage);
            putClosed(hold);
        } else {
            ledger.add(CreditBook.entry(account, hold.pool, LedgerKind.OTHER, 0, hold.requestId, hold.operationType,
                    "duplicate usage " + usage.getId() + ": hold already " + hold.state + ", nothing charged", now));
            log.warn("Duplicate usage {} for request {} (hold {}): nothing charged", usage.getId(), hold.requestId, hold.state);
        }
        balances.put(account.userId, account);
        emit(ledger);
    }

    private static long actualCredits(Hold hold, UsageEvent usage) {
        if (hold.tokensPerCredit == null) {
            return hold.amount;
        }
        long tokens = usage.getTokensInput() + usage.getTokensOutput();
        return tokens <= 0 ? 0 : (tokens + hold.tokensPerCredit - 1) / hold.tokensPerCredit;
    }

    private String poolOfOperation(String operation) {
        MeteringSettings.Price price = priceOf(operation);
        return price == null ? "unknown" : price.pool();
    }

    // ---------------------------------------------------------------- commands

    private void onCommand(String key, CreditCommand cmd, long timestamp) {
        if (isBlank(cmd.getCommandId())) {
            throw new InvalidEventException("CreditCommand needs command_id");
        }
        Object body = cmd.getCommand();
        if (body instanceof PeriodOpened opened) {
            onPeriodOpened(opened, timestamp);
            return;
        }
        if (isBlank(cmd.getUserId())) {
            throw new InvalidEventException("command " + cmd.getCommandId() + " has no user_id");
        }
        requireKeyIsUser(key, cmd.getUserId());
        if (commands.get(cmd.getCommandId()) != null) {
            log.info("Command {} already applied: ignored", cmd.getCommandId());
            return;
        }
        long now = cmd.getIssuedAt().toEpochMilli();
        List<LedgerEntry> ledger = new ArrayList<>();
        Account account = load(cmd.getUserId(), timestamp, ledger);
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
            book.resetUser(account, reset.getPool(), cmd.getCommandId(), now, ledger);
        } else {
            throw new InvalidEventException("unsupported command " + body.getClass().getSimpleName());
        }
        account.lastCommandId = cmd.getCommandId();
        balances.put(account.userId, account);
        long appliedAt = context.currentSystemTimeMs();
        commands.put(cmd.getCommandId(), appliedAt);
        dedupExpiry.add(appliedAt, COMMAND_TAG, cmd.getCommandId());
        emit(ledger);
    }

    private void onPeriodOpened(PeriodOpened opened, long timestamp) {
        PeriodMark mark = periodsStore.get(PARTITION_PERIOD_KEY);
        long startAt = opened.getStartAt().toEpochMilli();
        int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
        if (mark != null && mark.startAt >= startAt) {
            log.info("Period {} already opened on partition {}: ignored", opened.getPeriodId(), partition);
            return;
        }
        PeriodMark next = new PeriodMark(opened.getPeriodId(), startAt);
        periodsStore.put(PARTITION_PERIOD_KEY, next);
        log.info("Starting monthly AI credits reset for period {} on partition {}", opened.getPeriodId(), partition);
        List<KeyValue<String, Account>> stale = new ArrayList<>();
        try (KeyValueIterator<String, Account> it = balances.all()) {
            while (it.hasNext()) {
                KeyValue<String, Account> kv = it.next();
                if (kv.value.periodStart < startAt) {
                    stale.add(kv);
                }
            }
        }
        for (KeyValue<String, Account> kv : stale) {
            List<LedgerEntry> ledger = new ArrayList<>();
            book.openPeriod(kv.value, next, timestamp, ledger);
            log.info("Reset credits for user {} to {}", kv.key, CreditBook.describeLimits(kv.value));
            balances.put(kv.key, kv.value);
            emit(ledger);
        }
        log.info("Monthly reset completed for {} users", stale.size());
    }

    // ---------------------------------------------------------------- shared

    /** The user's account, created with the opening allowance or brought to the current period. */
    private Account load(String userId, long timestamp, List<LedgerEntry> ledger) {
        PeriodMark period = book.currentPeriod(timestamp, periodsStore.get(PARTITION_PERIOD_KEY));
        Account account = balances.get(userId);
        if (account == null) {
            return book.open(userId, timestamp, period, ledger);
        }
        if (book.refresh(account, timestamp, period, ledger)) {
            log.info("Reset credits for user {} to {} (period {} opened lazily)", userId, CreditBook.describeLimits(account),
                    period.periodId);
        }
        return account;
    }

    private void emit(List<LedgerEntry> ledger) {
        for (LedgerEntry e : ledger) {
            context.forward(new Record<Object, Object>(e.getUserId(), e, e.getCreatedAt().toEpochMilli()),
                    MeteringTopology.LEDGER_SINK);
        }
    }

    /** Stores a hold that just closed: out of the expiry index, into the dedup index at its closing time. */
    private void putClosed(Hold hold) {
        holds.put(hold.requestId, hold);
        holdExpiry.remove(hold.expiresAt, HOLD_TAG, hold.requestId);
        dedupExpiry.add(hold.closedAt, HOLD_TAG, hold.requestId);
    }

    /**
     * Expires the holds due by {@code now} and forgets what is older than the dedup window. Both read
     * only the due part of their time index, so the work is proportional to what is due, not to
     * the number of holds, decisions or commands kept.
     */
    private void punctuate(long now) {
        for (KeyValue<String, String> due : holdExpiry.due(now)) {
            holdExpiry.remove(due.key);
            Hold h = holds.get(due.value);
            if (h == null || h.state != Hold.State.OPEN || h.expiresAt > now) {
                continue; // a stale index entry: the hold closed (or was forgotten) meanwhile
            }
            List<LedgerEntry> ledger = new ArrayList<>();
            Account account = load(h.userId, now, ledger);
            book.release(account, h, LedgerKind.HOLD_EXPIRED, Hold.State.EXPIRED, now, ledger);
            UsageLimits.holdClosed(account, h);
            log.info("Hold {} of user {} ({} credits, {}) expired without usage. New balance: {}", h.requestId, h.userId,
                    h.amount, h.operationType, account.pool(h.pool).balance());
            holds.put(h.requestId, h);
            dedupExpiry.add(h.closedAt, HOLD_TAG, h.requestId);
            balances.put(account.userId, account);
            emit(ledger);
            metrics.holdExpired();
        }
        metrics.openHolds(context.taskId().toString(), holdExpiry.size());
        purge(now - settings.dedupWindow().toMillis());
    }

    /** Forgets closed holds, decisions and command ids that became eligible at or before {@code keepUntil}. */
    private void purge(long keepUntil) {
        for (KeyValue<String, String> due : dedupExpiry.due(keepUntil)) {
            dedupExpiry.remove(due.key);
            String id = due.value;
            switch (TimeIndex.tagOf(due.key)) {
                case HOLD_TAG -> {
                    Hold h = holds.get(id);
                    // A hold charged late closed again later; its newer index entry forgets it then.
                    if (h != null && h.state != Hold.State.OPEN && h.closedAt <= keepUntil) {
                        holds.delete(id);
                    }
                }
                case DECISION_TAG -> {
                    CreditDecision d = decisions.get(id);
                    if (d != null && d.getDecidedAt().toEpochMilli() <= keepUntil) {
                        decisions.delete(id);
                    }
                }
                case COMMAND_TAG -> {
                    Long appliedAt = commands.get(id);
                    if (appliedAt != null && appliedAt <= keepUntil) {
                        commands.delete(id);
                    }
                }
                default -> log.error("Ignoring dedup index entry {} with an unknown tag", due.key);
            }
        }
    }

    private static void requireKeyIsUser(String key, String userId) {
        if (!userId.equals(key)) {
            // A record keyed otherwise may sit on another user's partition, where this user's state is not.
            throw new InvalidEventException("record key '" + key + "' is not its user_id '" + userId + "'");
        }
    }

    private static String poolOr(String pool, String fallback) {
        return isBlank(pool) ? fallback : pool;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
