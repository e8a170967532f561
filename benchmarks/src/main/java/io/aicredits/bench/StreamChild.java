package io.aicredits.bench;

import io.aicredits.stream.MeteringMetrics;
import io.aicredits.stream.MeteringSettings;
import io.aicredits.stream.MeteringStreamRuntime;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metering stream alone in a child JVM (memory phase). Every 500 ms it writes its heap
 * figures to a properties file: used now, the peak of every heap pool, and — once the parent
 * creates the trigger file — the live heap after a full GC.
 *
 * <p>Arguments: bootstrap servers, application id, state dir, topic prefix, stats file, trigger file,
 * optional Kafka Streams overrides {@code k=v,k=v}.
 */
public final class StreamChild {

    private static final Logger log = LoggerFactory.getLogger(StreamChild.class);

    private StreamChild() {
    }

    public static void main(String[] args) throws Exception {
        Properties overrides = new Properties();
        overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        overrides.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, args[2]);
        if (args.length > 6) {
            overrides.putAll(Benchmarks.parseOverrides(args[6]));
        }
        MeteringSettings settings = MeteringSettings.defaults().withTopics(Benchmarks.topicNames(args[3]));
        Path stats = Path.of(args[4]);
        Path trigger = Path.of(args[5]);
        try (MeteringStreamRuntime runtime = MeteringStreamRuntime.start(overrides, settings,
                MeteringMetrics.inMemory(), Duration.ofSeconds(120))) {
            log.info("metering stream running in child JVM");
            long liveAfterGc = -1;
            while (!Thread.currentThread().isInterrupted()) {
                if (liveAfterGc < 0 && Files.exists(trigger)) {
                    System.gc();
                    liveAfterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                }
                writeStats(stats, liveAfterGc, runtime.streams().state().toString());
                Thread.sleep(500); // sampling period of a monitoring loop, not a wait for a result
            }
        }
    }

    private static void writeStats(Path stats, long liveAfterGc, String state) throws IOException {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        Properties p = new Properties();
        p.setProperty("heapUsed", Long.toString(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
        p.setProperty("heapCommitted", Long.toString(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted()));
        p.setProperty("heapMax", Long.toString(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax()));
        p.setProperty("heapPeak", Long.toString(peak));
        p.setProperty("liveAfterGc", Long.toString(liveAfterGc));
        p.setProperty("state", state);
        Path tmp = stats.resolveSibling(stats.getFileName() + ".tmp");
        try (var out = Files.newOutputStream(tmp)) {
            p.store(out, null);
        }
        Files.move(tmp, stats, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
