package io.aicredits.gateway.analytics;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.UsageAnalytics;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The analytics' ClickHouse client (created lazily by client-v2: the gateway starts without
 * ClickHouse, analytics then answer 503) and the bounded pool its blocking queries run on.
 */
@Configuration(proxyBeanMethods = false)
class AnalyticsConfig {

    @Bean(destroyMethod = "close")
    Client analyticsClickHouseClient(ClickHouseProperties properties) {
        return properties.clickhouse().client();
    }

    @Bean
    AnalyticsService analyticsService(Client analyticsClickHouseClient, AnalyticsProperties properties) {
        Scheduler scheduler = Schedulers.newBoundedElastic(properties.queryThreads(), properties.queryQueue(),
                "clickhouse-analytics");
        return new AnalyticsService(new UsageAnalytics(analyticsClickHouseClient), scheduler,
                new TariffAdvisor(properties.tariffs()), Clock.systemUTC(), properties.defaultPageSize());
    }
}
