package io.aicredits.sink;

import com.clickhouse.client.api.Client;
import io.aicredits.sink.clickhouse.ClickHouseClients;
import io.aicredits.sink.clickhouse.ClickHouseMigrations;
import io.aicredits.sink.ingest.UsageSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the ClickHouse client, runs the migrations and runs the sink for the app's lifetime. */
@Configuration(proxyBeanMethods = false)
class SinkConfiguration {

    @Bean(destroyMethod = "close")
    Client clickHouseClient(SinkProperties properties) {
        SinkProperties.ClickHouse ch = properties.clickhouse();
        ClickHouseClients.ensureDatabase(ch.url(), ch.username(), ch.password(), ch.database());
        Client client = ClickHouseClients.create(ch.url(), ch.username(), ch.password(), ch.database(), ch.timeout());
        if (properties.migrateOnStart()) {
            ClickHouseMigrations.migrate(client);
        }
        return client;
    }

    @Bean
    UsageSink usageSink(SinkProperties properties, Client clickHouseClient, MeterRegistry registry,
                        @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        return new UsageSink(properties.toSettings(),
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), clickHouseClient, registry);
    }

    @Bean
    SmartLifecycle usageSinkLifecycle(UsageSink sink) {
        return new SmartLifecycle() {
            private volatile boolean started;

            @Override
            public void start() {
                sink.start();
                started = true;
            }

            @Override
            public void stop() {
                sink.close();
                started = false;
            }

            @Override
            public boolean isRunning() {
                return started;
            }
        };
    }
}
