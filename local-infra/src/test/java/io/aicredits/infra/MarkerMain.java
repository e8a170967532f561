package io.aicredits.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Child JVM main for tests: writes {@code started} (and {@code env} from MARKER_ENV), and {@code hook-ran} from a shutdown hook, then blocks. */
public final class MarkerMain {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(dir.resolve("hook-ran"), "yes");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        String environment = System.getenv("MARKER_ENV");
        if (environment != null) {
            Files.writeString(dir.resolve("env"), environment);
        }
        Files.writeString(dir.resolve("started"), System.getProperty("marker.greeting", "none"));
        new CountDownLatch(1).await();
    }

    private MarkerMain() {
    }
}
