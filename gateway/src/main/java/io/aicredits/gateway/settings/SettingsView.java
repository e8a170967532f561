package io.aicredits.gateway.settings;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aicredits.events.SettingChanged;
import java.util.Map;

/**
 * {@code GET /api/admin/settings}: every setting with a value in force, and the gateway's configured
 * default of each key it applies itself ({@code models.*}, {@code model_prices.*}, {@code test_mode});
 * limits and budgets default to the metering stream's and alerts service's configuration.
 */
record SettingsView(Map<String, Setting> settings, Map<String, String> defaults) {

    record Setting(String value, long version, @JsonProperty("changed_by") String changedBy,
                   @JsonProperty("changed_at") String changedAt) {
        static Setting of(SettingChanged c) {
            return new Setting(SettingsCatalog.mask(c.getKey(), c.getValue()), c.getVersion(), c.getChangedBy(), c.getChangedAt().toString());
        }
    }
}
