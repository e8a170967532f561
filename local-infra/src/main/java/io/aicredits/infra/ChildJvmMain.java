package io.aicredits.infra;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of a {@link ChildJvm}: starts a watchdog that ends this JVM when its stdin reaches
 * end-of-file (the parent JVM died or closed the pipe), then runs the real main class given as
 * the first argument with the remaining arguments.
 */
public final class ChildJvmMain {

    /** The launcher's @argfile; read by the JVM before main, so the child deletes it (also if the parent crashed). */
    static final String ARG_FILE_PROPERTY = "io.aicredits.infra.childjvm.argfile";
    private static final long HALT_AFTER_SECONDS = 15;

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ChildJvmMain <main class> [args...]");
        }
        String argFile = System.getProperty(ARG_FILE_PROPERTY);
        if (argFile != null) {
            Files.deleteIfExists(Path.of(argFile));
        }
        Thread watchdog = new Thread(ChildJvmMain::exitWhenParentDies, "parent-death-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void exitWhenParentDies() {
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // The parent never writes; anything that arrives is ignored.
            }
        } catch (IOException e) {
            System.err.println("parent-death watchdog: reading stdin failed (" + e + "), treating the parent as gone");
        }
        System.err.println("parent-death watchdog: parent JVM is gone, exiting");
        Thread halter = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(HALT_AFTER_SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.err.println("parent-death watchdog: shutdown hooks took longer than " + HALT_AFTER_SECONDS + " s, halting");
            Runtime.getRuntime().halt(137);
        }, "parent-death-halter");
        halter.setDaemon(true);
        halter.start();
        System.exit(143);
    }

    private ChildJvmMain() {
    }
}
