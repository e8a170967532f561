package io.aicredits.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a main class in a child JVM with this JVM's class path, e.g. to crash an application in a
 * test ({@link #kill()}) and start it again.
 *
 * <p>The child runs {@link ChildJvmMain}, which calls the real main class and watches its stdin:
 * a pipe from this JVM that is never written to. When it hits end-of-file, this JVM is gone
 * (even after a SIGKILL), and the child exits (running its shutdown hooks, halting if they take
 * longer than 15 s). So no child outlives the test JVM. A shutdown hook of this JVM also
 * {@link #stop()}s every child that is still running.
 *
 * <p>Under Maven Surefire {@code java.class.path} is usually a manifest-only jar; the child gets
 * the real class path from {@code surefire.test.class.path} or from that jar's
 * {@code Class-Path} manifest entry. The class path is passed in a {@code @argfile}, so its length
 * does not matter.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Small and quick to start; callers' options come later on the command line and win. */
    private static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private final String name;
    private final Process process;
    private final Path argFile;
    private final Path logFile;
    private final Thread shutdownHook;

    private ChildJvm(String name, Process process, Path argFile, Path logFile) {
        this.name = name;
        this.process = process;
        this.argFile = argFile;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stopAtExit, "child-jvm-shutdown-" + name);
    }

    /**
     * Starts {@code mainClass} in a child JVM.
     *
     * @param name             a name for logs
     * @param mainClass        fully qualified name of a class with {@code public static void main(String[])}
     * @param args             its arguments
     * @param systemProperties passed as {@code -Dkey=value}
     * @param logFile          receives the child's stdout and stderr (appended); {@code null} discards them
     */
    public static ChildJvm start(String name, String mainClass, List<String> args,
                                 Map<String, String> systemProperties, Path logFile) {
        return start(name, mainClass, args, systemProperties, List.of(), logFile);
    }

    /** Like {@link #start(String, String, List, Map, Path)} with extra JVM options (e.g. {@code -Xmx256m}). */
    public static ChildJvm start(String name, String mainClass, List<String> args,
                                 Map<String, String> systemProperties, List<String> jvmOptions, Path logFile) {
        return launch(name, classPath(), mainClass, args, Map.of(), systemProperties, jvmOptions, logFile);
    }

    /**
     * Starts an executable jar (e.g. a Spring Boot {@code -exec.jar}) in a child JVM with its own
     * class path, not this JVM's: the jar's manifest {@code Main-Class} runs behind the same
     * parent-death watchdog as {@link #start}. The class path is the jar plus the location of
     * {@link ChildJvmMain} (which needs nothing but the JDK).
     *
     * @param jar              the executable jar
     * @param args             arguments of its main class
     * @param environment      added to (or replacing in) this JVM's environment, e.g. secrets that must not show in {@code ps}
     * @param systemProperties passed as {@code -Dkey=value}
     * @param jvmOptions       extra JVM options (e.g. {@code -Xmx256m})
     * @param logFile          receives the child's stdout and stderr (appended); {@code null} discards them
     */
    public static ChildJvm startJar(String name, Path jar, List<String> args, Map<String, String> environment,
                                    Map<String, String> systemProperties, List<String> jvmOptions, Path logFile) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("executable jar " + jar + " not found (build it with ./mvnw -B -DskipTests package)");
        }
        String mainClass = manifestMainClass(jar);
        List<String> classPath = List.of(jar.toAbsolutePath().toString(), watchdogLocation());
        return launch(name, classPath, mainClass, args, environment, systemProperties, jvmOptions, logFile);
    }

    private static ChildJvm launch(String name, List<String> classPath, String mainClass, List<String> args,
                                   Map<String, String> environment, Map<String, String> systemProperties,
                                   List<String> jvmOptions, Path logFile) {
        Path argFile = writeArgFile(name, classPath);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + argFile);
        command.addAll(DEFAULT_JVM_OPTIONS);
        command.addAll(jvmOptions);
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-D" + ChildJvmMain.ARG_FILE_PROPERTY + "=" + argFile);
        command.add(ChildJvmMain.class.getName());
        command.add(mainClass);
        command.addAll(args);

        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        if (logFile == null) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        } else {
            try {
                Path parent = logFile.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the directory of " + logFile, e);
            }
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            deleteQuietly(argFile);
            throw new UncheckedIOException("cannot start child JVM " + name + " (" + mainClass + ")", e);
        }
        ChildJvm child = new ChildJvm(name, process, argFile, logFile);
        Runtime.getRuntime().addShutdownHook(child.shutdownHook);
        log.info("child JVM {} started: pid {}, main {}, log {}", name, process.pid(), mainClass, logFile);
        return child;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, once the child has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    public Path logFile() {
        return logFile;
    }

    /** Waits up to {@code timeout} for the child to exit by itself; true if it did. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for child JVM " + name, e);
        }
    }

    /**
     * Hard stop: SIGKILL, no shutdown hooks run (simulates a crash). Returns when the process is
     * gone. Processes the child started are not killed here; their own parent-death watchdogs
     * take them down, as after a real crash.
     */
    public void kill() {
        process.destroyForcibly();
        if (!awaitExit(STOP_TIMEOUT)) {
            throw new IllegalStateException("child JVM " + name + " (pid " + pid() + ") survived SIGKILL");
        }
        cleanUp();
        log.info("child JVM {} killed", name);
    }

    /** Clean stop: SIGTERM (shutdown hooks run), SIGKILL if still alive after 30 s. Idempotent. */
    public void stop() {
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(STOP_TIMEOUT)) {
                log.warn("child JVM {} (pid {}) did not stop within {}, killing it", name, pid(), STOP_TIMEOUT);
                kill();
                return;
            }
            log.info("child JVM {} stopped with exit code {}", name, process.exitValue());
        }
        cleanUp();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private void cleanUp() {
        deleteQuietly(argFile);
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            log.debug("closing stdin of child JVM {} failed: {}", name, e.toString());
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            log.debug("JVM is shutting down; hook of child JVM {} stays", name);
        }
    }

    private void stopAtExit() {
        try {
            stop();
        } catch (RuntimeException e) {
            log.warn("stopping child JVM {} at exit failed", name, e);
        }
    }

    /** The {@code Main-Class} of an executable jar's manifest. */
    static String manifestMainClass(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String mainClass = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (mainClass == null || mainClass.isBlank()) {
                throw new IllegalStateException(jar + " has no Main-Class in its manifest: not an executable jar");
            }
            return mainClass.trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of " + jar, e);
        }
    }

    /** The jar or class directory holding {@link ChildJvmMain}. */
    private static String watchdogLocation() {
        try {
            return Path.of(ChildJvmMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the class path entry of " + ChildJvmMain.class.getName(), e);
        }
    }

    private static Path writeArgFile(String name, List<String> classPathEntries) {
        String classPath = String.join(File.pathSeparator, classPathEntries);
        try {
            Path file = Files.createTempFile("child-jvm-" + name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-", ".args");
            Files.writeString(file, "-cp\n" + quote(classPath) + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the argument file of child JVM " + name, e);
        }
    }

    /** An @argfile token: quoted, with backslashes and quotes escaped. */
    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** This JVM's class path, with Surefire's manifest-only jar expanded. */
    static List<String> classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return classPath(surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path"));
    }

    /** A class path string with manifest-only jars replaced by their {@code Class-Path} entries. */
    static List<String> classPath(String raw) {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : raw.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            List<String> manifestEntries = manifestClassPath(Path.of(entry));
            if (manifestEntries.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            } else {
                entries.addAll(manifestEntries);
            }
        }
        return List.copyOf(entries);
    }

    /** The {@code Class-Path} entries of a manifest-only jar (no classes of its own), else empty. */
    private static List<String> manifestClassPath(Path jar) {
        if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
            return List.of();
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            boolean manifestOnly = file.stream().noneMatch(e -> e.getName().endsWith(".class"));
            if (classPath == null || !manifestOnly) {
                return List.of();
            }
            URI base = jar.toAbsolutePath().toUri();
            List<String> result = new ArrayList<>();
            for (String item : classPath.trim().split("\\s+")) {
                result.add(Path.of(base.resolve(item)).toString());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of " + jar, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", file, e.toString());
        }
    }
}
