package io.aicredits.scheduler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Opens each monthly AI credits period by writing {@code PeriodOpened} to every partition of
 * {@code credit.commands}. See {@link SchedulerCommandLine} for the command-line modes.
 */
@SpringBootApplication
public class ResetSchedulerApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(ResetSchedulerApplication.class, args);
        if (context.getBean(SchedulerCommandLine.class).oneShot()) {
            System.exit(SpringApplication.exit(context));
        }
    }
}
