package io.aicredits.gateway.settings;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gateway.settings.*}.
 *
 * @param topic        the compacted settings topic
 * @param applyTimeout how long {@code PUT /api/admin/settings} waits for its change to come back from the topic
 */
@ConfigurationProperties("gateway.settings")
public record SettingsProperties(@DefaultValue("ai.settings") String topic, @DefaultValue("10s") Duration applyTimeout) {
}
