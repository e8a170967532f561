package io.aicredits.alerts;

import io.aicredits.events.SettingChanged;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.EventDecodingException;
import io.aicredits.schemas.SettingKeys;
import io.aicredits.schemas.UsdNanos;
import java.math.BigDecimal;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Budgets in force: the {@code ai.settings} value if set (per user first), else the configured default. */
final class Budgets {

    private static final Logger log = LoggerFactory.getLogger(Budgets.class);

    private final AlertsSettings settings;
    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final AvroSerde<SettingChanged> serde = AvroSerdes.settingChanged();

    Budgets(AlertsSettings settings, ReadOnlyKeyValueStore<String, byte[]> store) {
        this.settings = settings;
        this.store = store;
    }

    /** The latest change of a setting, or null. */
    SettingChanged change(String key) {
        byte[] raw = store.get(key);
        if (raw == null) {
            return null;
        }
        try {
            return serde.decode(settings.topics().settings(), raw);
        } catch (EventDecodingException e) {
            log.error("Ignoring undecodable setting {}", key, e);
            return null;
        }
    }

    long userMonthlyNanos(String userId) {
        String key = SettingKeys.USER_MONTHLY_BUDGET_USD;
        String value = value(SettingKeys.forUser(key, userId));
        return nanos(value != null ? value : value(key), settings.userMonthlyBudgetUsd(), key);
    }

    long platformMonthlyNanos() {
        String key = SettingKeys.PLATFORM_MONTHLY_BUDGET_USD;
        return nanos(value(key), settings.platformMonthlyBudgetUsd(), key);
    }

    long platformDailyNanos() {
        String key = SettingKeys.PLATFORM_DAILY_BUDGET_USD;
        return nanos(value(key), settings.platformDailyBudgetUsd(), key);
    }

    private static long nanos(String value, BigDecimal configured, String key) {
        if (value != null) {
            try {
                return Math.max(0, UsdNanos.fromUsd(new BigDecimal(value.trim())));
            } catch (NumberFormatException | ArithmeticException e) {
                log.error("Ignoring {} '{}' (not a USD amount); using the configured default", key, value, e);
            }
        }
        return UsdNanos.fromUsd(configured);
    }

    private String value(String key) {
        byte[] raw = store.get(key);
        if (raw == null) {
            return null;
        }
        try {
            return serde.decode(settings.topics().settings(), raw).getValue();
        } catch (EventDecodingException e) {
            log.error("Ignoring undecodable setting {}", key, e);
            return null;
        }
    }
}
