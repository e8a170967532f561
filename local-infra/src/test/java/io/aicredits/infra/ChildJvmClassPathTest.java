package io.aicredits.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmClassPathTest {

    @TempDir
    Path dir;

    @Test
    void shouldExpandManifestOnlyJarLikeSurefiresBooter() throws Exception {
        // Given a manifest-only jar whose Class-Path has an absolute URL and a relative one
        Path classes = Files.createDirectories(dir.resolve("target/classes"));
        Path booter = dir.resolve("surefirebooter.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classes.toUri() + " lib/some%20dep.jar");
        try (OutputStream out = Files.newOutputStream(booter); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }

        // When
        var expanded = ChildJvm.classPath(booter + File.pathSeparator + "other.jar");

        // Then
        assertThat(expanded).containsExactly(
                classes.toString(),
                dir.resolve("lib/some dep.jar").toString(),
                Path.of("other.jar").toAbsolutePath().toString());
    }
}
