package io.aicredits.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Child JVM main for tests: starts a grandchild JVM ({@link MarkerMain}) and a ClickHouse server,
 * writes their pids to {@code pids}, then blocks, so a test can SIGKILL it and check that both die.
 */
public final class OrphanMakerMain {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path grandchildDir = Files.createDirectories(dir.resolve("grandchild"));
        ChildJvm grandchild = ChildJvm.start("grandchild", MarkerMain.class.getName(), List.of(grandchildDir.toString()),
                Map.of(), dir.resolve("grandchild.log"));
        ClickHouseServer clickHouse = ClickHouseServer.start(dir.resolve("clickhouse"), 0, 0);
        Files.writeString(dir.resolve("pids.tmp"), grandchild.pid() + " " + clickHouse.pid().orElseThrow());
        Files.move(dir.resolve("pids.tmp"), dir.resolve("pids"));
        new CountDownLatch(1).await();
    }

    private OrphanMakerMain() {
    }
}
