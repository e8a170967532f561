package io.aicredits.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmJarTest {

    @TempDir
    Path dir;

    @Test
    void shouldRunTheManifestMainClassOfAnExecutableJarAndStopItCleanly() throws Exception {
        // Given a jar holding only MarkerMain, with it as Main-Class
        Path jar = executableJar(dir.resolve("marker.jar"), MarkerMain.class.getName());

        // When
        try (ChildJvm child = ChildJvm.startJar("marker-jar", jar, List.of(dir.toString()),
                Map.of("MARKER_ENV", "set"), Map.of("marker.greeting", "from-jar"), List.of("-Xmx64m"), dir.resolve("child.log"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("started")) || !child.isAlive());

            // Then it ran with the given system property and environment, and a stop runs its shutdown hooks
            assertThat(dir.resolve("started")).as("see %s", child.logFile()).hasContent("from-jar");
            assertThat(dir.resolve("env")).hasContent("set");
            child.stop();
            assertThat(child.isAlive()).isFalse();
            assertThat(dir.resolve("hook-ran")).hasContent("yes");
        }
    }

    @Test
    void shouldRefuseAJarWithoutMainClass() throws Exception {
        // Given
        Path jar = executableJar(dir.resolve("library.jar"), null);

        // When / Then
        assertThatThrownBy(() -> ChildJvm.startJar("library", jar, List.of(), Map.of(), Map.of(), List.of(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Main-Class");
    }

    @Test
    void shouldSayHowToBuildAMissingJar() {
        assertThatThrownBy(() -> ChildJvm.startJar("missing", dir.resolve("nope-exec.jar"), List.of(), Map.of(), Map.of(), List.of(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not found")
                .hasMessageContaining("package");
    }

    private static Path executableJar(Path jar, String mainClass) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        String entry = MarkerMain.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry(entry));
            try (var in = MarkerMain.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(jarOut);
            }
            jarOut.closeEntry();
        }
        return jar;
    }
}
