package io.aicredits.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One app of the local run: its module, the port its {@code /actuator/health} answers on, how it
 * is configured (Spring Boot command-line properties, environment, JVM options), and optionally a
 * path that must answer 200 too before the app counts as ready (e.g. the stream's balance query,
 * which answers 503 while state stores restore).
 */
record AppSpec(String module, int port, List<String> args, Map<String, String> environment, List<String> jvmOptions,
               String readyPath) {

    /** {@code <repoDir>/<module>/target/<module>-<version>-exec.jar}, the newest if several. */
    Path execJar(Path repoDir) {
        Path target = repoDir.resolve(module).resolve("target");
        String prefix = module + "-";
        try (Stream<Path> files = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith("-exec.jar"))
                    .max(Comparator.comparingLong(AppSpec::lastModified))
                    .orElseThrow(() -> new IllegalStateException("no executable jar " + module + "-<version>-exec.jar in " + target
                            + ": build it first with ./mvnw -B -DskipTests package (run-local.sh does)"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + target, e);
        }
    }

    /** The URLs that must answer 200: the actuator health, then {@code readyPath} if any. */
    List<String> readinessUrls() {
        String base = "http://127.0.0.1:" + port;
        return readyPath == null ? List.of(base + "/actuator/health") : List.of(base + "/actuator/health", base + readyPath);
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the time of " + file, e);
        }
    }
}
