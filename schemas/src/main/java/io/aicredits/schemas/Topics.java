package io.aicredits.schemas;

import io.aicredits.events.AiRequest;
import io.aicredits.events.AlertRaised;
import io.aicredits.events.ApiKey;
import io.aicredits.events.CreditCommand;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.OperationPrice;
import io.aicredits.events.SettingChanged;
import io.aicredits.events.UsageEvent;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the pipeline with its key and value serdes. Per-user topics are keyed by user
 * id so one user's events are processed in order by one stream task.
 */
public final class Topics {

    /** Credit requests sent before an AI call. Key: user id. */
    public static final Topic<String, AiRequest> AI_REQUESTS =
            new Topic<>("ai.requests", Serdes.String(), AvroSerdes.aiRequest(), false);

    /** Decisions, written to the partition named in the request's {@code reply_partition}. Key: request id. */
    public static final Topic<String, CreditDecision> AI_DECISIONS =
            new Topic<>("ai.decisions", Serdes.String(), AvroSerdes.creditDecision(), false);

    /** What each AI call actually used. Key: user id. */
    public static final Topic<String, UsageEvent> AI_USAGE =
            new Topic<>("ai.usage", Serdes.String(), AvroSerdes.usageEvent(), false);

    /** Grants, adjustments, plan changes, resets and period openings. Key: user id. */
    public static final Topic<String, CreditCommand> CREDIT_COMMANDS =
            new Topic<>("credit.commands", Serdes.String(), AvroSerdes.creditCommand(), false);

    /** Every balance change. Key: user id. */
    public static final Topic<String, LedgerEntry> CREDIT_LEDGER =
            new Topic<>("credit.ledger", Serdes.String(), AvroSerdes.ledgerEntry(), false);

    /** Catalog price overrides. Key: operation type. Compacted. */
    public static final Topic<String, OperationPrice> CREDIT_PRICES =
            new Topic<>("credit.prices", Serdes.String(), AvroSerdes.operationPrice(), true);

    /**
     * Runtime AI settings (limits, budgets, models, test mode) as versioned changes. Key: setting
     * key. Compacted: the latest record per key is the setting in force.
     */
    public static final Topic<String, SettingChanged> AI_SETTINGS =
            new Topic<>("ai.settings", Serdes.String(), AvroSerdes.settingChanged(), true);

    /**
     * The gateway's per-user API keys (hashed secrets, revocations). Key: key id. Compacted: every
     * gateway instance reads it whole, so a key works on each of them.
     */
    public static final Topic<String, ApiKey> API_KEYS =
            new Topic<>("ai.api-keys", Serdes.String(), AvroSerdes.apiKey(), true);

    /** Budget and low-credit alerts, one per threshold and period. Key: alert id. */
    public static final Topic<String, AlertRaised> AI_ALERTS =
            new Topic<>("ai.alerts", Serdes.String(), AvroSerdes.alertRaised(), false);

    /**
     * Records that could not be processed, with their original key and value bytes and the
     * reason in headers (see {@link DeadLetters}).
     */
    public static final Topic<byte[], byte[]> DEAD_LETTERS =
            new Topic<>("metering.dlq", Serdes.ByteArray(), Serdes.ByteArray(), false);

    /** All topics, e.g. for creating them in a local run. */
    public static List<Topic<?, ?>> all() {
        return List.of(AI_REQUESTS, AI_DECISIONS, AI_USAGE, CREDIT_COMMANDS, CREDIT_LEDGER, CREDIT_PRICES, AI_SETTINGS, API_KEYS,
                AI_ALERTS, DEAD_LETTERS);
    }

    private Topics() {
    }
}
