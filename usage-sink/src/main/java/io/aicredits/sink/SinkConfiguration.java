package io.aicredits.sink;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.clickhouse.ClickHouseMigrations;
import io.aicredits.sink.ingest.UsageSink;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the ClickHouse client, runs the migrations and runs the sink for the app's lifetime. */
@Configuration(proxyBeanMethods = false)
class SinkConfiguration {

    @Bean(destroyMethod = "close")
    Client clickHouseClient(SinkProperties properties) {
        properties.clickhouse().ensureDatabase();
        Client client = properties.clickhouse().client();
        if (properties.migrateOnStart()) {
            ClickHouseMigrations.migrate(client);
        }
        return client;
    }

    @Bean
    UsageSink usageSink(SinkProperties properties, KafkaProperties kafka, Client clickHouseClient, MeterRegistry registry) {
        // spring.kafka.* (bootstrap servers, spring.kafka.properties.* such as the SASL settings, spring.kafka.consumer.properties.*) apply;
        // the settings the sink's guarantees depend on are forced by UsageSink itself.
        return new UsageSink(properties.toSettings(), kafka.buildConsumerProperties(), kafka.buildProducerProperties(),
                clickHouseClient, registry);
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
