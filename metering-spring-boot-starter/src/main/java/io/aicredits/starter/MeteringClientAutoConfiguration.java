package io.aicredits.starter;

import io.aicredits.client.CreditCommands;
import io.aicredits.client.MeteringClient;
import io.aicredits.client.MeteringClientConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A {@link MeteringClient} from {@code metering.client.*}, the {@link CreditService} and the guard
 * behind {@link RequireCredits}. Every bean backs off when the application declares its own.
 * {@code metering.client.enabled=false} turns the whole starter off.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "metering.client.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MeteringClientProperties.class)
public class MeteringClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MeteringClientConfig meteringClientConfig(MeteringClientProperties properties) {
        return properties.clientConfig();
    }

    /** Claims its reply partition at start: fails the start-up when the broker cannot be reached. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    MeteringClient meteringClient(MeteringClientConfig config) {
        return MeteringClient.start(config);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    CreditCommands creditCommands(MeteringClientConfig config, MeteringClientProperties properties) {
        return CreditCommands.start(config, properties.topics().commandsTopic());
    }

    @Bean
    @ConditionalOnMissingBean
    CreditService creditService(CreditCommands commands, MeteringClientConfig config, MeteringClientProperties properties) {
        MeteringClientProperties.Stream stream = properties.stream();
        return new CreditService(commands, new BalanceQueries(stream.url(), stream.queryTimeout()), config.instanceId(),
                stream.commandApplyTimeout());
    }

    @Bean
    CreditGuard creditGuard(MeteringClient client, ObjectProvider<MeterRegistry> registry, MeteringClientProperties properties,
                            Environment environment) {
        return new CreditGuard(client, registry.getIfAvailable(() -> Metrics.globalRegistry),
                properties.guard().rejectionStatus(), environment.getProperty("spring.application.name", "unnamed-service"));
    }
}
