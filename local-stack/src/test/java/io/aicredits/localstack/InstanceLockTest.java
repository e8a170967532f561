package io.aicredits.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLockTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldRefuseASecondLockOnTheSameDataDirNamingTheOwner() throws Exception {
        // Given
        try (InstanceLock first = InstanceLock.acquire(dataDir)) {
            assertThat(Files.readString(dataDir.resolve(InstanceLock.FILE_NAME))).isEqualTo(String.valueOf(ProcessHandle.current().pid()));

            // When / Then
            assertThatThrownBy(() -> InstanceLock.acquire(dataDir))
                    .isInstanceOf(InstanceLock.AlreadyRunningException.class)
                    .hasMessageContaining("already running (pid " + ProcessHandle.current().pid() + ")")
                    .hasMessageContaining(dataDir.toString());
        }
    }

    @Test
    void shouldLockAgainOnceReleasedEvenWhenTheFileStays() {
        // Given a data dir whose previous run ended (the file is left behind)
        InstanceLock.acquire(dataDir).close();
        assertThat(dataDir.resolve(InstanceLock.FILE_NAME)).exists();

        // When / Then
        try (InstanceLock again = InstanceLock.acquire(dataDir)) {
            assertThat(again).isNotNull();
        }
    }
}
