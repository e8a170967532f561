package io.aicredits.gateway.settings;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aicredits.events.SettingChanged;
import java.util.List;

/** {@code GET /api/admin/settings/audit}: who changed what, when, old → new; oldest first. */
record AuditView(List<Change> changes) {

    record Change(String key, long version, @JsonProperty("old_value") String oldValue,
                  @JsonProperty("new_value") String newValue, @JsonProperty("changed_by") String changedBy,
                  @JsonProperty("changed_at") String changedAt) {
        static Change of(SettingChanged c) {
            return new Change(c.getKey(), c.getVersion(), SettingsCatalog.mask(c.getKey(), c.getPreviousValue()),
                    SettingsCatalog.mask(c.getKey(), c.getValue()), c.getChangedBy(), c.getChangedAt().toString());
        }
    }
}
