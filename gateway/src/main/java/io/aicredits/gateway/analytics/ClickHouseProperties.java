package io.aicredits.gateway.analytics;

import io.aicredits.analytics.clickhouse.ClickHouseConnection;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the analytics read from ({@code gateway.clickhouse.*}): the ClickHouse database the
 * usage-sink writes to. application.yml points it at a local ClickHouse by default.
 */
@ConfigurationProperties("gateway")
public record ClickHouseProperties(@DefaultValue ClickHouseConnection clickhouse) {
}
