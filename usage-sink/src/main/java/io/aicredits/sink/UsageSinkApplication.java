package io.aicredits.sink;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Writes {@code ai.usage} and {@code credit.ledger} to ClickHouse, effectively once, after
 * applying the ClickHouse migrations. Actuator (health, Prometheus metrics) on port 7071.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class UsageSinkApplication {

    public static void main(String[] args) {
        SpringApplication.run(UsageSinkApplication.class, args);
    }
}
