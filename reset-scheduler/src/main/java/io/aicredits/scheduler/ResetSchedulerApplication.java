package io.aicredits.scheduler;

import io.aicredits.internal.InternalAuthConfiguration;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Opens each monthly AI credits period by writing {@code PeriodOpened} to every partition of
 * {@code credit.commands}. See {@link SchedulerCommandLine} for the command-line modes.
 */
@SpringBootApplication
// The internal token on every endpoint but health (SECURITY.md).
@Import(InternalAuthConfiguration.class)
public class ResetSchedulerApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = application(args).run(args);
        if (context.getBean(SchedulerCommandLine.class).oneShot()) {
            System.exit(SpringApplication.exit(context));
        }
    }

    /**
     * The application for these arguments: one-shot commands ({@code --dry-run},
     * {@code open-period}) run without the actuator web server, the scheduler with it.
     */
    static SpringApplicationBuilder application(String... args) {
        boolean oneShot = Arrays.stream(args)
                .anyMatch(arg -> arg.equals("--dry-run") || arg.equals(SchedulerCommandLine.OPEN_PERIOD));
        return new SpringApplicationBuilder(ResetSchedulerApplication.class)
                .web(oneShot ? WebApplicationType.NONE : WebApplicationType.SERVLET);
    }
}
