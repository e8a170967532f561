package io.aicredits.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {

    @TempDir
    Path dir;

    @Test
    void shouldKillWithoutRunningShutdownHooks() {
        // Given
        try (ChildJvm child = startMarkerChild()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("started")));

            // When
            child.kill();

            // Then
            assertThat(child.isAlive()).isFalse();
            assertThat(ProcessHandle.of(child.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(dir.resolve("hook-ran")).doesNotExist();
        }
    }

    @Test
    void shouldRunShutdownHooksOnStop() throws Exception {
        // Given
        try (ChildJvm child = startMarkerChild()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("started")));
            assertThat(Files.readString(dir.resolve("started"))).isEqualTo("hello");

            // When
            child.stop();

            // Then
            assertThat(child.isAlive()).isFalse();
            assertThat(dir.resolve("hook-ran")).hasContent("yes");
        }
    }

    @Test
    void shouldTakeChildrenAndClickHouseDownWhenParentJvmIsKilled() throws Exception {
        // Given a child JVM that itself started a grandchild JVM and a ClickHouse server
        ChildJvm parent = ChildJvm.start("orphan-maker", OrphanMakerMain.class.getName(), List.of(dir.toString()),
                Map.of(), dir.resolve("orphan-maker.log"));
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> (Files.exists(dir.resolve("pids"))
                    && Files.exists(dir.resolve("grandchild").resolve("started"))) || !parent.isAlive());
            assertThat(parent.isAlive()).as("orphan maker alive, see %s", parent.logFile()).isTrue();
            long[] pids = Arrays.stream(Files.readString(dir.resolve("pids")).trim().split(" ")).mapToLong(Long::parseLong).toArray();
            assertThat(isAlive(pids[0]) && isAlive(pids[1])).as("grandchild and clickhouse alive").isTrue();

            // When the middle JVM dies without running any shutdown hook
            parent.kill();

            // Then its grandchild JVM (gracefully, hooks run) and ClickHouse go away too
            await().atMost(Duration.ofSeconds(60)).until(() -> !isAlive(pids[0]) && !isAlive(pids[1]));
            assertThat(dir.resolve("grandchild").resolve("hook-ran")).hasContent("yes");
        } finally {
            parent.kill();
        }
    }

    private ChildJvm startMarkerChild() {
        return ChildJvm.start("marker", MarkerMain.class.getName(), List.of(dir.toString()),
                Map.of("marker.greeting", "hello"), dir.resolve("child.log"));
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
