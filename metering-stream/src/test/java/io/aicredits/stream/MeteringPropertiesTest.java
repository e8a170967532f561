package io.aicredits.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code metering.*} binds over {@link MeteringSettings#defaults()} entry by entry. */
class MeteringPropertiesTest {

    @Test
    void shouldOverrideOnlyWhatIsConfigured() {
        Map<String, String> yaml = Map.of(
                "metering.hold-timeout", "3m",
                "metering.zone", "Europe/Kyiv",
                "metering.plans.PRO.ai_credits", "600",
                "metering.catalog.image_generation.pool", "ai_credits",
                "metering.catalog.image_generation.credits", "6",
                "metering.topics.requests", "tenant-a.ai.requests",
                "metering.max-clock-skew", "90s");

        MeteringSettings settings = new Binder(new MapConfigurationPropertySource(yaml))
                .bind("metering", MeteringProperties.class).get().toSettings();

        assertThat(settings.holdTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(settings.zone()).isEqualTo(ZoneId.of("Europe/Kyiv"));
        assertThat(settings.limitOf("PRO", MeteringSettings.AI_CREDITS)).isEqualTo(600);
        assertThat(settings.catalog().get("image_generation").credits()).isEqualTo(6);
        assertThat(settings.catalog().get("text_generation").credits()).isEqualTo(1);
        assertThat(settings.dedupWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.topics().requests()).isEqualTo("tenant-a.ai.requests");
        assertThat(settings.topics().ledger()).isEqualTo("credit.ledger");
        assertThat(settings.maxClockSkew()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void shouldRefuseAHoldTimeoutNotShorterThanTheDedupWindow() {
        Map<String, String> yaml = Map.of("metering.hold-timeout", "2h", "metering.dedup-window", "2h");

        MeteringProperties properties = new Binder(new MapConfigurationPropertySource(yaml))
                .bind("metering", MeteringProperties.class).get();

        assertThatThrownBy(properties::toSettings)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be shorter than dedupWindow");
    }

    @Test
    void shouldDefaultToSeedCatalogAndPlans() {
        MeteringSettings d = MeteringSettings.defaults();

        assertThat(d.catalog().get("text_generation")).isEqualTo(MeteringSettings.Price.fixed("ai_credits", 1, null));
        assertThat(d.catalog().keySet()).as("the credits API lists costs in catalog order").startsWith("text_generation", "image_generation");
        assertThat(d.catalog().get("image_generation").credits()).isEqualTo(5);
        assertThat(d.catalog().get("upscale")).isEqualTo(MeteringSettings.Price.fixed("generation_credits", 2, null));
        assertThat(d.limitOf("FREE", "ai_credits")).isEqualTo(100);
        assertThat(d.limitOf("PRO", "ai_credits")).isEqualTo(500);
        assertThat(d.limitOf("TEAM", "ai_credits")).isEqualTo(2000);
        assertThat(d.holdTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(d.maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
    }
}
