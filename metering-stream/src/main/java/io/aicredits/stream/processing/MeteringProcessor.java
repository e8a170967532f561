package io.aicredits.stream.processing;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditCommand;
import io.aicredits.events.UsageEvent;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.EventDecodingException;
import io.aicredits.stream.MeteringMetrics;
import io.aicredits.stream.MeteringSettings;
import io.aicredits.stream.MeteringTopology;
import io.aicredits.stream.credits.CreditBook;
import io.aicredits.stream.credits.Pricing;
import io.aicredits.stream.holds.Holds;
import io.aicredits.stream.limits.LimitDefaults;
import io.aicredits.stream.limits.UsageLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-user processor of {@code ai.requests}, {@code ai.usage} and {@code credit.commands}: it
 * decodes each record and routes it to the rule that applies it ({@link RequestDecider},
 * {@link UsageSettler}, {@link CommandApplier}). Inputs arrive as raw bytes and are decoded here, so
 * an undecodable or invalid record goes to the dead-letter topic with its source coordinates
 * instead of stopping the task. A wall-clock punctuator expires holds and ends the dedup window.
 */
public final class MeteringProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(MeteringProcessor.class);

    private final MeteringSettings settings;
    private final MeteringMetrics metrics;
    private final CreditBook book;
    private final UsageLimits limits;
    private final AvroSerde<AiRequest> requestSerde = AvroSerdes.aiRequest();
    private final AvroSerde<UsageEvent> usageSerde = AvroSerdes.usageEvent();
    private final AvroSerde<CreditCommand> commandSerde = AvroSerdes.creditCommand();

    private ProcessorContext<Object, Object> context;
    private Outputs outputs;
    private Holds holds;
    private Idempotency idempotency;
    private RequestDecider requests;
    private UsageSettler usage;
    private CommandApplier commands;

    public MeteringProcessor(MeteringSettings settings, MeteringMetrics metrics, LimitDefaults limitDefaults) {
        this.settings = settings;
        this.metrics = metrics;
        this.book = new CreditBook(settings);
        this.limits = new UsageLimits(limitDefaults);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.outputs = new Outputs(context);
        this.idempotency = new Idempotency(context.getStateStore(MeteringTopology.DECISIONS_STORE),
                context.getStateStore(MeteringTopology.COMMANDS_STORE),
                context.getStateStore(MeteringTopology.DEDUP_EXPIRY_STORE));
        // Rebuilds the in-memory index of open holds from the restored store (see Holds).
        this.holds = new Holds(context.getStateStore(MeteringTopology.HOLDS_STORE));
        Accounts accounts = new Accounts(book, context.getStateStore(MeteringTopology.BALANCES_STORE),
                context.getStateStore(MeteringTopology.PERIODS_STORE));
        Pricing pricing = new Pricing(settings, context.getStateStore(MeteringTopology.PRICES_STORE));
        this.limits.init(context.getStateStore(MeteringTopology.SETTINGS_STORE));
        this.requests = new RequestDecider(settings, book, pricing, limits, accounts, holds, idempotency, outputs, metrics);
        this.usage = new UsageSettler(book, pricing, accounts, holds, idempotency, outputs, metrics);
        this.commands = new CommandApplier(settings, book, accounts, idempotency, outputs);
        // Wall clock, not stream time: a hold must expire even when no new records arrive.
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        long started = System.nanoTime();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        String topic = source.topic();
        long now = context.currentSystemTimeMs();
        try {
            requireNotAhead(record.timestamp(), now);
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            if (topic.equals(settings.topics().requests())) {
                requests.onRequest(key, requireValue(requestSerde.decode(topic, record.value())), record.timestamp(), now);
            } else if (topic.equals(settings.topics().usage())) {
                usage.onUsage(key, requireValue(usageSerde.decode(topic, record.value())), record.timestamp(), now);
            } else if (topic.equals(settings.topics().commands())) {
                commands.onCommand(key, requireValue(commandSerde.decode(topic, record.value())), record.timestamp(),
                        source.partition(), now);
            } else {
                throw new IllegalStateException("metering processor is not subscribed to " + topic);
            }
        } catch (EventDecodingException | InvalidEventException e) {
            log.warn("Dead-lettering record {}-{}@{}: {}", source.topic(), source.partition(), source.offset(), e.getMessage());
            outputs.deadLetter(record, source, e);
            metrics.deadLetter(source.topic());
        } finally {
            metrics.processed(System.nanoTime() - started);
        }
    }

    /**
     * Refuses a record stamped more than {@code metering.max-clock-skew} ahead of this stream's wall
     * clock, before anything is decoded or stored: its timestamp decides the account's period and
     * which grants have expired, so a clock far ahead would refill an account into a later month and
     * expire top-ups early.
     */
    private void requireNotAhead(long timestamp, long now) {
        long ahead = timestamp - now;
        if (ahead > settings.maxClockSkew().toMillis()) {
            throw new InvalidEventException("record timestamp " + Instant.ofEpochMilli(timestamp) + " is "
                    + Duration.ofMillis(ahead) + " ahead of this stream's clock (" + Instant.ofEpochMilli(now)
                    + "); at most " + settings.maxClockSkew() + " is accepted (metering.max-clock-skew)");
        }
    }

    private static <T> T requireValue(T value) {
        if (value == null) {
            throw new InvalidEventException("record has no value (tombstone) on an event topic");
        }
        return value;
    }

    /**
     * Expires the holds due by {@code now} and forgets what is older than the dedup window. Both read
     * only the due part of their time index, so the work is proportional to what is due, not to
     * the number of holds, decisions or commands kept.
     */
    private void punctuate(long now) {
        usage.expireDue(now);
        metrics.openHolds(context.taskId().toString(), holds.openCount());
        idempotency.forgetUntil(now - settings.dedupWindow().toMillis(), holds);
    }
}
