package io.aicredits.gateway.settings;

import io.aicredits.schemas.Topics;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gateway.settings.*}.
 *
 * @param topic        the compacted settings topic; default that of {@code Topics.AI_SETTINGS}
 * @param applyTimeout how long {@code PUT /api/admin/settings} waits for its change to come back from the topic
 */
@ConfigurationProperties("gateway.settings")
public record SettingsProperties(String topic, @DefaultValue("10s") Duration applyTimeout) {

    public SettingsProperties {
        topic = topic == null ? Topics.AI_SETTINGS.name() : topic;
    }
}
