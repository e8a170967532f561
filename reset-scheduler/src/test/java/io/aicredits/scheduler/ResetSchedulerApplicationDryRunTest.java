package io.aicredits.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

@ExtendWith(OutputCaptureExtension.class)
class ResetSchedulerApplicationDryRunTest {

    @Test
    void shouldPrintTheNextOpeningsForTheRequestedZoneWithoutTouchingKafka(CapturedOutput output) {
        // Given a broker address where nothing listens
        String[] args = {"--dry-run", "--zone=Asia/Kolkata", "--count=2", "--spring.kafka.bootstrap-servers=127.0.0.1:1"};

        // When
        try (ConfigurableApplicationContext context = ResetSchedulerApplication.application(args).run(args)) {

            // Then
            assertThat(context.getBean(SchedulerCommandLine.class).oneShot()).isTrue();
            assertThat(output.getOut()).contains("Next 2 period openings in Asia/Kolkata");
            assertThat(output.getOut().lines().filter(line -> line.matches("\\d{4}-\\d{2}  \\S+\\+05:30  \\S+T18:30:00Z")))
                    .hasSize(2);
            assertThat(output.getAll()).doesNotContain("Starting monthly AI credits reset");
        }
    }
}
