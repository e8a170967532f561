package io.aicredits.infra;

import io.aicredits.schemas.Topic;
import io.aicredits.schemas.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker + controller, node id 1) for tests
 * and the local run. Both listeners bind to 127.0.0.1 only; internal topics have replication
 * factor 1 and {@code min.insync.replicas} 1, so idempotent and transactional producers and
 * exactly-once Streams work. Topics are never auto-created: create them with
 * {@link #createTopic(Topic, int)} or {@link #createAllTopics(int)}.
 *
 * <p><b>In-process, not a child JVM.</b> The broker runs inside the calling JVM
 * ({@link KafkaRaftServer}). It starts in about two seconds instead of the five to ten a fresh
 * JVM needs on a busy two-core machine, and it cannot outlive the test JVM: even if that JVM is
 * SIGKILLed, the broker dies with it, so no orphan holds ports or data directories. Test code
 * that needs to crash a client application runs that application in a {@link ChildJvm}; the
 * broker itself never has to be crashed. A JVM shutdown hook closes a broker that a test forgot.
 *
 * <p>Storage is formatted with Kafka's {@link Formatter} (what {@code kafka-storage.sh format}
 * does) when the data directory holds no {@code meta.properties} yet, so
 * {@link #start(Path, int)} on an existing directory keeps its topics and data.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final int port;
    private final KafkaRaftServer server;
    private final Thread shutdownHook;
    private boolean closed;

    private KafkaBroker(Path dataDir, boolean deleteDataDirOnClose, int port, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.port = port;
        this.server = server;
        this.shutdownHook = new Thread(this::closeQuietlyAtExit, "kafka-broker-shutdown-" + port);
    }

    /** Starts a broker on free ports with a temp data directory that {@link #close()} deletes. */
    public static KafkaBroker start() {
        Path dir = TempDirs.create("kafka-broker-");
        try {
            return start(dir, 0, true);
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(dir);
            throw e;
        }
    }

    /**
     * Starts a broker on a persistent data directory, formatting it only if it was never
     * formatted, so a restart keeps topics and records.
     *
     * @param dataDir data directory (created if missing); kept on close
     * @param port    the client port on 127.0.0.1, or 0 for a free one
     */
    public static KafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, false);
    }

    private static KafkaBroker start(Path dataDir, int requestedPort, boolean deleteOnClose) {
        long started = System.nanoTime();
        int port = requestedPort == 0 ? FreePorts.next() : requestedPort;
        int controllerPort = FreePorts.next();
        Path logDir = dataDir.toAbsolutePath().resolve("kafka-logs");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka log dir " + logDir, e);
        }
        KafkaConfig config = new KafkaConfig(brokerProperties(logDir, port, controllerPort), false);
        formatIfNeeded(config, logDir);

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        KafkaBroker broker = new KafkaBroker(dataDir, deleteOnClose, port, server);
        try {
            server.startup();
            Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
            broker.awaitReady();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        log.info("Kafka broker on {} ready in {} ms (data dir {})", broker.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), dataDir);
        return broker;
    }

    private static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", BROKER_LISTENER + "://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://127.0.0.1:" + port);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", logDir.toString());

        // One node: every internal topic has one replica, and transactions need min ISR 1.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("num.partitions", "1");

        // Tests create their topics explicitly and must not wait for rebalances.
        props.put("auto.create.topics.enable", "false");
        props.put("group.initial.rebalance.delay.ms", "0");

        // Small footprint: few threads, small segments and cleaner buffer (default 128 MiB).
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("num.replica.fetchers", "1");
        props.put("log.cleaner.threads", "1");
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        props.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        props.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        props.put("transaction.state.log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        props.put("offsets.topic.segment.bytes", String.valueOf(16 * 1024 * 1024));
        props.put("metadata.log.segment.bytes", String.valueOf(8 * 1024 * 1024));
        props.put("socket.request.max.bytes", String.valueOf(100 * 1024 * 1024));
        return props;
    }

    private static void formatIfNeeded(KafkaConfig config, Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(List.of(logDir.toString()))
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + logDir, e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = newAdmin()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                pause();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
        throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " did not answer within " + STARTUP_TIMEOUT, last);
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The data directory (the Kafka log dir is its {@code kafka-logs} subdirectory). */
    public Path dataDir() {
        return dataDir;
    }

    /** A new admin client for this broker; the caller closes it. */
    public Admin newAdmin() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return Admin.create(config);
    }

    /**
     * Creates a topic unless it exists, {@code cleanup.policy=compact} when the descriptor says
     * compacted, and waits until every partition has a leader.
     */
    public void createTopic(Topic<?, ?> topic, int partitions) {
        Map<String, String> configs = topic.compacted()
                ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                : Map.of();
        createTopic(topic.name(), partitions, configs);
    }

    /**
     * Creates a topic with replication factor 1 unless it exists (an existing topic is left as
     * it is), and waits until every partition has a leader.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = newAdmin()) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                        .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name, e.getCause());
                }
            }
            awaitLeaders(admin, name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + name, e);
        }
    }

    /** Creates every topic of {@link Topics#all()} with the given partition count. */
    public void createAllTopics(int partitions) {
        for (Topic<?, ?> topic : Topics.all()) {
            createTopic(topic, partitions);
        }
    }

    private static void awaitLeaders(Admin admin, String name) throws InterruptedException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
                        .get(5, TimeUnit.SECONDS).get(name);
                if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot describe topic " + name, e.getCause());
                }
                last = e;
            } catch (TimeoutException e) {
                last = e;
            }
            pause();
        }
        throw new IllegalStateException("topic " + name + " has partitions without a leader after " + ADMIN_TIMEOUT, last);
    }

    private static void pause() throws InterruptedException {
        // Polling interval of a bounded wait, not a wait for a result.
        TimeUnit.MILLISECONDS.sleep(100);
    }

    /** Stops the broker cleanly (and deletes the temp data dir of {@link #start()}); idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteDataDirOnClose) {
                TempDirs.deleteRecursively(dataDir);
            }
            removeShutdownHook();
        }
        log.info("Kafka broker on {} stopped", bootstrapServers());
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Already shutting down (we run inside the hook) or the hook was never registered.
            log.debug("shutdown hook of broker {} not removed: {}", bootstrapServers(), e.toString());
        }
    }

    private void closeQuietlyAtExit() {
        try {
            close();
        } catch (RuntimeException e) {
            log.warn("closing Kafka broker {} at JVM exit failed", bootstrapServers(), e);
        }
    }
}
