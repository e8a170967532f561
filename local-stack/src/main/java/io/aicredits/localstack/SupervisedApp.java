package io.aicredits.localstack;

import io.aicredits.infra.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One app of the local run and the child JVM that currently runs it. Once {@link #supervise()}d,
 * a watcher thread notices when the child exits without being asked to, says so on the console
 * (with the end of its log), and starts it again after the {@link RestartPolicy}'s back-off,
 * waiting until it is ready; after too many quick failures in a row it says loudly that it gives
 * up and leaves the app stopped. {@link #close()} stops the watcher first, then the child, so
 * Ctrl-C never races a restart.
 */
final class SupervisedApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SupervisedApp.class);
    private static final Duration EXIT_POLL = Duration.ofMillis(500);
    static final int LOG_TAIL_LINES = 60;

    enum State { RUNNING, RESTARTING, GAVE_UP, CLOSED }

    private final String name;
    private final Supplier<ChildJvm> launcher;
    private final Consumer<ChildJvm> readiness;
    private final RestartPolicy policy;
    private final Object lock = new Object();
    private ChildJvm child;
    private long startedAt;
    private int restarts;
    private volatile State state = State.RUNNING;
    private Thread watcher;

    /**
     * Starts the app's first child JVM; readiness is awaited by the caller, the watcher starts with {@link #supervise()}.
     *
     * @param launcher  starts a new child JVM of the app
     * @param readiness returns once the child is ready; throws when it exits or is not ready in time
     */
    SupervisedApp(String name, Supplier<ChildJvm> launcher, Consumer<ChildJvm> readiness, RestartPolicy policy) {
        this.name = name;
        this.launcher = launcher;
        this.readiness = readiness;
        this.policy = policy;
        this.child = launcher.get();
        this.startedAt = System.nanoTime();
    }

    /** Waits until the current child is ready (see the constructor's {@code readiness}). */
    void awaitReady() {
        readiness.accept(current());
    }

    /** Starts watching the child: from now on an exit that {@link #close()} did not ask for is restarted. */
    void supervise() {
        synchronized (lock) {
            if (watcher != null || state == State.CLOSED) {
                return;
            }
            watcher = new Thread(this::watch, "supervise-" + name);
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    ChildJvm current() {
        synchronized (lock) {
            return child;
        }
    }

    State state() {
        return state;
    }

    /** How many times the app was started again after an unexpected exit. */
    int restarts() {
        synchronized (lock) {
            return restarts;
        }
    }

    String name() {
        return name;
    }

    private void watch() {
        int failuresInARow = 0;
        while (true) {
            ChildJvm exited = awaitUnexpectedExit();
            if (exited == null) {
                return;
            }
            Duration uptime = Duration.ofNanos(System.nanoTime() - startedAt);
            int code = exited.exitValue();
            exited.close();
            failuresInARow = policy.failuresInARow(failuresInARow, uptime);
            if (policy.givesUp(failuresInARow)) {
                state = State.GAVE_UP;
                log.error("""

                        ************************************************************************
                        {} exited with code {} after {} s: {} failures in a row within {} s of starting.
                        Giving up on {}: it stays stopped (the other apps keep running). Its log {} ends with:
                        {}
                        ************************************************************************""",
                        name, code, uptime.toSeconds(), failuresInARow, policy.stableAfter().toSeconds(), name,
                        exited.logFile(), tail(exited.logFile()));
                return;
            }
            Duration backoff = policy.backoff(failuresInARow);
            state = State.RESTARTING;
            log.warn("{} (pid {}) exited unexpectedly with code {} after {} s; restarting it in {} ms. Its log {} ends with:\n{}",
                    name, exited.pid(), code, uptime.toSeconds(), backoff.toMillis(), exited.logFile(), tail(exited.logFile()));
            ChildJvm restarted = restartAfter(backoff);
            if (restarted == null) {
                return;
            }
            try {
                readiness.accept(restarted);
                state = State.RUNNING;
                log.info("{} is running again (pid {}, restart {})", name, restarted.pid(), restarts());
            } catch (RuntimeException notReady) {
                if (state == State.CLOSED) {
                    return;
                }
                // Not ready in time (or gone again): stop it, so the next round counts it as a failure.
                log.warn("{} did not come back: {}", name, notReady.getMessage());
                restarted.stop();
            }
        }
    }

    /** The child once it has exited on its own; null when the app is closed first. */
    private ChildJvm awaitUnexpectedExit() {
        while (true) {
            ChildJvm current;
            synchronized (lock) {
                if (state == State.CLOSED) {
                    return null;
                }
                current = child;
            }
            if (current.awaitExit(EXIT_POLL)) {
                synchronized (lock) {
                    return state == State.CLOSED ? null : current;
                }
            }
        }
    }

    /** Waits out the back-off (cut short by close) and starts a new child; null when closed meanwhile. */
    private ChildJvm restartAfter(Duration backoff) {
        long until = System.nanoTime() + backoff.toNanos();
        synchronized (lock) {
            try {
                for (long left = until - System.nanoTime(); left > 0 && state != State.CLOSED; left = until - System.nanoTime()) {
                    lock.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (state == State.CLOSED) {
                return null;
            }
            child = launcher.get();
            startedAt = System.nanoTime();
            restarts++;
            return child;
        }
    }

    /** Stops supervising, then stops the current child. Idempotent. */
    @Override
    public void close() {
        ChildJvm current;
        Thread watching;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            lock.notifyAll();
            current = child;
            watching = watcher;
        }
        current.stop();
        if (watching != null && watching != Thread.currentThread()) {
            try {
                watching.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last lines of a log file, for messages about an app that exited. */
    static String tail(Path file) {
        if (file == null || !Files.exists(file)) {
            return "(no log)";
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
