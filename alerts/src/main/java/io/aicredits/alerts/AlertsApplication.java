package io.aicredits.alerts;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The alerts service: the alerts stream (ai.usage + credit.ledger + ai.settings → ai.alerts), the
 * notifier (ai.alerts → webhook, Telegram) and, when enabled, the daily report.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class AlertsApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(AlertsApplication.class);
        application.setDefaultProperties(defaults());
        application.run(args);
    }

    /** Defaults in code (not application.yml), like usage-sink: no web server, an application name. */
    public static Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("spring.application.name", "alerts");
        defaults.put("spring.main.web-application-type", "none");
        return defaults;
    }
}
