package io.aicredits.alerts;

import io.aicredits.events.SettingChanged;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.EventDecodingException;
import java.math.BigDecimal;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Budgets in force: the {@code ai.settings} value if set (per user first), else the configured default. */
final class Budgets {

    static final String USER_MONTHLY = "budgets.user_monthly_usd";
    static final String PLATFORM_MONTHLY = "budgets.platform_monthly_usd";
    static final String PLATFORM_DAILY = "budgets.platform_daily_usd";

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
        String value = value(USER_MONTHLY + ".user." + userId);
        return nanos(value != null ? value : value(USER_MONTHLY), settings.userMonthlyBudgetUsd(), USER_MONTHLY);
    }

    long platformMonthlyNanos() {
        return nanos(value(PLATFORM_MONTHLY), settings.platformMonthlyBudgetUsd(), PLATFORM_MONTHLY);
    }

    long platformDailyNanos() {
        return nanos(value(PLATFORM_DAILY), settings.platformDailyBudgetUsd(), PLATFORM_DAILY);
    }

    private static long nanos(String value, BigDecimal configured, String key) {
        if (value != null) {
            try {
                return Math.max(0, Money.nanos(new BigDecimal(value.trim())));
            } catch (NumberFormatException | ArithmeticException e) {
                log.error("Ignoring {} '{}' (not a USD amount); using the configured default", key, value, e);
            }
        }
        return Money.nanos(configured);
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
