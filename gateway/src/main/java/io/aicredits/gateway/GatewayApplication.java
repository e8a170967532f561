package io.aicredits.gateway;

import io.aicredits.internal.InternalAuthConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** HTTP gateway: the credits and generation API on top of the metering stream. */
@SpringBootApplication
@ConfigurationPropertiesScan
// The internal token on every endpoint but health (SECURITY.md).
@Import(InternalAuthConfiguration.class)
public class GatewayApplication {

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        SpringApplication.run(GatewayApplication.class, args);
    }
}
