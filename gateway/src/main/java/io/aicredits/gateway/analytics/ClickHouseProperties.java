package io.aicredits.gateway.analytics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the analytics read from: the ClickHouse HTTP endpoint the usage-sink writes to
 * ({@code gateway.clickhouse.*}). Defaults fit a local ClickHouse.
 */
@ConfigurationProperties("gateway.clickhouse")
public record ClickHouseProperties(
        @DefaultValue("http://127.0.0.1:8123") String url,
        @DefaultValue("default") String database,
        @DefaultValue("default") String user,
        @DefaultValue("") String password,
        /** Socket timeout of one analytics query. */
        @DefaultValue("30s") Duration timeout) {
}
