package io.aicredits.stream;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** Runs the metering stream in a child JVM that crash tests kill (here and in metering-client): args = bootstrap servers, application id, state dir. */
public final class StreamChildMain {

    private StreamChildMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        MeteringStreamRuntime runtime = MeteringStreamRuntime.start(properties(args[0], args[1], Path.of(args[2])),
                MeteringSettings.defaults());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            stopped.countDown();
        }, "metering-child-shutdown"));
        System.out.println("METERING STREAM RUNNING");
        stopped.await();
    }

    /** The stream's properties in crash tests (also for one run in the test's own JVM). */
    public static Properties properties(String bootstrapServers, String applicationId, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // A killed member must leave the group quickly so the restarted one gets its partitions.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_500);
        return p;
    }
}
