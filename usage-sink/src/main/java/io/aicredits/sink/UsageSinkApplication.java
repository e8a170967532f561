package io.aicredits.sink;

import io.aicredits.internal.InternalAuthConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * Writes {@code ai.usage} and {@code credit.ledger} to ClickHouse, effectively once, after
 * applying the ClickHouse migrations. Actuator (health, Prometheus metrics) on port 7071.
 *
 * <p>The defaults are set here rather than in an {@code application.yml}, so that a test class
 * path holding this jar (the gateway's browser test runs the sink) never picks up this app's
 * configuration.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
// The internal token on every endpoint but health (SECURITY.md).
@Import(InternalAuthConfiguration.class)
public class UsageSinkApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(UsageSinkApplication.class);
        application.setDefaultProperties(defaults());
        application.run(args);
    }

    static Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("spring.application.name", "usage-sink");
        defaults.put("server.port", "7071");
        defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus,metrics");
        // An internal operations port: show whether ClickHouse is reachable and the lag.
        defaults.put("management.endpoint.health.show-details", "always");
        defaults.put("usage-sink.clickhouse.url", "${CLICKHOUSE_URL:http://localhost:8123}");
        defaults.put("usage-sink.clickhouse.username", "${CLICKHOUSE_USER:default}");
        defaults.put("usage-sink.clickhouse.password", "${CLICKHOUSE_PASSWORD:}");
        defaults.put("usage-sink.clickhouse.database", "${CLICKHOUSE_DATABASE:default}");
        return defaults;
    }
}
