package io.aicredits.alerts;

import io.aicredits.internal.InternalAuthConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The alerts service: the alerts stream (ai.usage + credit.ledger + ai.settings → ai.alerts), the
 * notifier (ai.alerts → webhook, Telegram) and, when enabled, the daily report. Its only HTTP is
 * {@code /actuator} on {@code server.port} (7073, application.yml).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
// The internal token on every endpoint but health (SECURITY.md).
@Import(InternalAuthConfiguration.class)
public class AlertsApplication {

    public static void main(String[] args) {
        SpringApplication.run(AlertsApplication.class, args);
    }
}
