package io.aicredits.starter;

import io.aicredits.client.MeteringClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code metering} health indicator, when Spring Boot's health support is on the class path. */
@AutoConfiguration(after = MeteringClientAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(MeteringClient.class)
@ConditionalOnEnabledHealthIndicator("metering")
public class MeteringHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "meteringHealthIndicator")
    HealthIndicator meteringHealthIndicator(MeteringClient client, MeteringClientProperties properties) {
        MeteringClientProperties.Stream stream = properties.stream();
        return new MeteringHealthIndicator(client, new BalanceQueries(stream.url(), stream.queryTimeout()), stream.queryTimeout());
    }
}
