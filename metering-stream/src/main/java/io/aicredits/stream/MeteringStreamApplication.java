package io.aicredits.stream;

import io.aicredits.internal.InternalAuthConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** The metering stream as a service: Kafka Streams plus the balance query endpoint (port 7070) and actuator. */
@SpringBootApplication
@EnableConfigurationProperties({MeteringProperties.class, io.aicredits.stream.limits.LimitProperties.class,
        KafkaClientProperties.class})
// The internal token on every endpoint but health (SECURITY.md).
@Import(InternalAuthConfiguration.class)
public class MeteringStreamApplication {

    public static void main(String[] args) {
        SpringApplication.run(MeteringStreamApplication.class, args);
    }

    @Bean
    MeteringSettings meteringSettings(MeteringProperties properties) {
        return properties.toSettings();
    }

    /** Starts without waiting for RUNNING: queries answer 503 until the stores are ready. */
    @Bean(destroyMethod = "close")
    MeteringStreamRuntime meteringStreamRuntime(MeteringProperties properties, MeteringSettings settings,
                                                io.aicredits.stream.limits.LimitProperties limits, MeterRegistry registry,
                                                KafkaClientProperties kafka) {
        return MeteringStreamRuntime.launch(streamsOverrides(properties, kafka), settings, new MeteringMetrics(registry),
                limits.toDefaults());
    }

    /**
     * The overrides of {@link MeteringStreamsConfig}: {@code spring.kafka.properties.*} (security settings, shared by
     * every app) reach every client Kafka Streams creates; {@code metering.streams.*} may override them.
     */
    static Properties streamsOverrides(MeteringProperties properties, KafkaClientProperties kafka) {
        Properties overrides = new Properties();
        overrides.putAll(kafka.properties());
        overrides.putAll(properties.getStreams());
        overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        overrides.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.getApplicationId());
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, properties.getStateDir());
        overrides.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, properties.getStandbyReplicas());
        if (!properties.getApplicationServer().isBlank()) {
            overrides.put(StreamsConfig.APPLICATION_SERVER_CONFIG, properties.getApplicationServer());
        }
        return overrides;
    }
}
