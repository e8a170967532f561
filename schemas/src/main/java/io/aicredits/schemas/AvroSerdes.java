package io.aicredits.schemas;

import io.aicredits.events.AiRequest;
import io.aicredits.events.AlertRaised;
import io.aicredits.events.ApiKey;
import io.aicredits.events.CreditCommand;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.OperationPrice;
import io.aicredits.events.PeriodOpened;
import io.aicredits.events.SettingChanged;
import io.aicredits.events.UsageEvent;

/** One serde per event type; all share the released-schema store. */
public final class AvroSerdes {

    public static AvroSerde<AiRequest> aiRequest() {
        return AvroSerde.of(AiRequest.class);
    }

    public static AvroSerde<CreditDecision> creditDecision() {
        return AvroSerde.of(CreditDecision.class);
    }

    public static AvroSerde<UsageEvent> usageEvent() {
        return AvroSerde.of(UsageEvent.class);
    }

    public static AvroSerde<CreditCommand> creditCommand() {
        return AvroSerde.of(CreditCommand.class);
    }

    public static AvroSerde<PeriodOpened> periodOpened() {
        return AvroSerde.of(PeriodOpened.class);
    }

    public static AvroSerde<LedgerEntry> ledgerEntry() {
        return AvroSerde.of(LedgerEntry.class);
    }

    public static AvroSerde<OperationPrice> operationPrice() {
        return AvroSerde.of(OperationPrice.class);
    }

    public static AvroSerde<SettingChanged> settingChanged() {
        return AvroSerde.of(SettingChanged.class);
    }

    public static AvroSerde<ApiKey> apiKey() {
        return AvroSerde.of(ApiKey.class);
    }

    public static AvroSerde<AlertRaised> alertRaised() {
        return AvroSerde.of(AlertRaised.class);
    }

    private AvroSerdes() {
    }
}
