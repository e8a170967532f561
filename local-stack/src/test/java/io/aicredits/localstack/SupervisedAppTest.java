package io.aicredits.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aicredits.infra.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supervision of real child JVMs: restarts after an unexpected exit, gives up on one that cannot stay up, never restarts after close. */
class SupervisedAppTest {

    private static final RestartPolicy FAST = new RestartPolicy(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(30), 3);
    private static final Duration ONE_HOUR_MS = Duration.ofHours(1);

    @TempDir
    Path logs;

    private final AtomicInteger launches = new AtomicInteger();

    private Supplier<ChildJvm> launching(String exitCode, Duration after) {
        return () -> {
            launches.incrementAndGet();
            return ChildJvm.start("app", ExitingMain.class.getName(), List.of(exitCode, Long.toString(after.toMillis())), Map.of(),
                    logs.resolve("app.log"));
        };
    }

    @Test
    void shouldRestartAnAppKilledFromOutside() {
        // Given a supervised app that runs until it is killed
        try (SupervisedApp app = new SupervisedApp("app", launching("0", ONE_HOUR_MS), child -> { }, FAST)) {
            app.supervise();
            long firstPid = app.current().pid();

            // When it is killed with SIGKILL, as a crash would
            ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();

            // Then a new child runs in its place
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(app.current().pid()).isNotEqualTo(firstPid);
                assertThat(app.current().isAlive()).isTrue();
                assertThat(app.state()).isEqualTo(SupervisedApp.State.RUNNING);
            });
            assertThat(app.restarts()).isEqualTo(1);
            assertThat(launches).hasValue(2);
        }
    }

    @Test
    void shouldGiveUpAfterRepeatedQuickFailures() {
        // Given an app that exits with code 3 right after every start
        try (SupervisedApp app = new SupervisedApp("app", launching("3", Duration.ZERO), child -> { }, FAST)) {
            app.supervise();

            // Then it is started three times (the first start and two restarts) and then left stopped
            await().atMost(Duration.ofSeconds(30)).until(() -> app.state() == SupervisedApp.State.GAVE_UP);
            assertThat(launches).hasValue(3);
            assertThat(app.current().isAlive()).isFalse();
            assertThat(app.current().exitValue()).isEqualTo(3);
        }
    }

    @Test
    void shouldStopWithoutRestartingWhenClosed() {
        // Given a supervised app that is running
        SupervisedApp app = new SupervisedApp("app", launching("0", ONE_HOUR_MS), child -> { }, FAST);
        app.supervise();
        ChildJvm child = app.current();

        // When the local run stops it
        app.close();

        // Then its child is gone and nothing started again
        assertThat(child.isAlive()).isFalse();
        assertThat(app.state()).isEqualTo(SupervisedApp.State.CLOSED);
        assertThat(launches).hasValue(1);
    }
}
