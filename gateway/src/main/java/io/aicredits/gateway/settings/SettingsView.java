package io.aicredits.gateway.settings;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aicredits.events.SettingChanged;
import java.util.Map;

/** {@code GET /api/admin/settings}: every setting with a value in force (others use the configured default). */
record SettingsView(Map<String, Setting> settings) {

    record Setting(String value, long version, @JsonProperty("changed_by") String changedBy,
                   @JsonProperty("changed_at") String changedAt) {
        static Setting of(SettingChanged c) {
            return new Setting(c.getValue(), c.getVersion(), c.getChangedBy(), c.getChangedAt().toString());
        }
    }
}
