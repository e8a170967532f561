package io.aicredits.gateway.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code gateway.limits.*}: the largest request body each endpoint reads.
 *
 * @param body   every endpoint not listed in {@code bodies} (JSON requests: prompts are at most a few KB)
 * @param bodies path pattern → limit (first match wins), e.g. the audio upload of voice_to_text
 */
@ConfigurationProperties("gateway.limits")
public record RequestLimits(@DefaultValue("64KB") DataSize body, Map<String, DataSize> bodies) {

    public RequestLimits {
        bodies = bodies == null ? Map.of() : new LinkedHashMap<>(bodies);
    }
}
