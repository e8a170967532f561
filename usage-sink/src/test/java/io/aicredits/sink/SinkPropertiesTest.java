package io.aicredits.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.sink.ingest.SinkSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SinkPropertiesTest {

    private static SinkProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("usage-sink", SinkProperties.class);
    }

    @Test
    void shouldRunWithTheDefaultsOfSinkSettingsWhenNothingIsConfigured() {
        assertThat(bind(Map.of()).toSettings()).isEqualTo(SinkSettings.defaults());
    }

    @Test
    void shouldTakeWhatIsConfiguredAndTheDefaultsForTheRest() {
        SinkSettings settings = bind(Map.of("usage-sink.batch.max-rows", "100", "usage-sink.retry.max-backoff", "5s"))
                .toSettings();

        assertThat(settings.batchMaxRows()).isEqualTo(100);
        assertThat(settings.batchMaxDelay()).isEqualTo(SinkSettings.defaults().batchMaxDelay());
        assertThat(settings.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.initialBackoff()).isEqualTo(SinkSettings.defaults().initialBackoff());
    }
}
