package io.aicredits.bench;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.clickhouse.ClickHouseClients;
import io.aicredits.analytics.clickhouse.ClickHouseMigrations;
import io.aicredits.analytics.clickhouse.ClickHouseSql;
import io.aicredits.analytics.rows.TabSeparatedRows;
import io.aicredits.analytics.rows.UsageRowMapper;
import io.aicredits.client.MeteringClient;
import io.aicredits.client.MeteringClientConfig;
import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.gateway.GatewayApplication;
import io.aicredits.infra.ChildJvm;
import io.aicredits.infra.ClickHouseServer;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.infra.TempDirs;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.sink.ingest.SinkSettings;
import io.aicredits.sink.ingest.UsageSink;
import io.aicredits.stream.MeteringMetrics;
import io.aicredits.stream.MeteringSettings;
import io.aicredits.stream.MeteringStreamRuntime;
import io.aicredits.stream.MeteringStreamsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the benchmark phases against a local broker (in-process), ClickHouse (child process) and
 * child JVMs, prints a table and optionally writes JSON. See {@code benchmarks/README.md}.
 *
 * <pre>
 * java -cp ... io.aicredits.bench.Benchmarks [--quick] [--only baseline-a,baseline-b,decisions,latency,peers,gateway,sink,memory] [--json out.json]
 * </pre>
 */
public final class Benchmarks {

    static final List<String> PHASES = List.of("baseline-a", "baseline-b", "decisions", "latency", "peers", "gateway", "sink", "memory");
    /** The client counts tried for each peer; the best one is its row. */
    static final List<Integer> PEER_CLIENTS = List.of(16, 32, 64);
    static final int PARTITIONS = 4;
    private static final String GATEWAY_SECRET = "benchmark-secret-for-hs256-at-least-32-bytes!";
    private static final Logger log = LoggerFactory.getLogger(Benchmarks.class);

    /** Sizes and time bounds of one run. */
    record Plan(boolean quick, int users, int baselineRecords, int decisionRecords, List<Integer> latencyRates,
                int latencyWarmupSeconds, int latencyMeasureSeconds, int gatewayWarmupSeconds, int gatewayMeasureSeconds,
                List<Integer> gatewayConcurrencies, int sinkRows, List<Integer> memoryUsers, int memoryRequests,
                int peerRequests, Duration phaseTimeout) {

        static Plan fullPlan() {
            return new Plan(false, 100_000, 300_000, 200_000, List.of(1_000, 5_000, 10_000), 5, 20, 30, 10,
                    List.of(32, 64, 128, 256, 512),
                    500_000, List.of(10_000, 100_000, 1_000_000), 100_000, 100_000, Duration.ofMinutes(6));
        }

        /** The same plan with other open-loop rates for the {@code latency} phase. */
        Plan withLatencyRates(List<Integer> rates) {
            return new Plan(quick, users, baselineRecords, decisionRecords, List.copyOf(rates), latencyWarmupSeconds,
                    latencyMeasureSeconds, gatewayWarmupSeconds, gatewayMeasureSeconds, gatewayConcurrencies, sinkRows,
                    memoryUsers, memoryRequests, peerRequests, phaseTimeout);
        }

        static Plan quickPlan() {
            return new Plan(true, 100_000, 60_000, 40_000, List.of(1_000, 5_000), 2, 8, 8, 4, List.of(64, 256),
                    100_000, List.of(10_000, 100_000), 20_000, 20_000, Duration.ofMinutes(2));
        }
    }

    private final Plan plan;
    /** {@code --stream-config}: Kafka Streams overrides for the metering stream and baseline B (exactly-once stays). */
    private final Properties streamOverrides;
    private final Results results = new Results();
    private final Path workDir;
    /** {@code --sink-batch-rows}: the sink's batch size, default {@link SinkSettings#defaults()}. */
    private int sinkBatchRows = SinkSettings.defaults().batchMaxRows();
    /** {@code --client-config}: Kafka client overrides for the latency phase's {@link MeteringClient}. */
    private final Properties clientOverrides = new Properties();
    /** {@code --gateway-property}: Spring properties added to both gateways of the {@code gateway} phase (experiments). */
    private final Properties gatewayProperties = new Properties();
    /** {@code --punctuate-interval-s}: the stream's hold-expiry scan interval (default {@link MeteringSettings#defaults()}). */
    private Duration punctuateInterval = MeteringSettings.defaults().punctuateInterval();
    private KafkaBroker broker;
    private MeteringStreamRuntime meteringRuntime;

    private Benchmarks(Plan plan, Properties streamOverrides, Path workDir) {
        this.plan = plan;
        this.streamOverrides = streamOverrides;
        this.workDir = workDir;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        LinkedHashSet<String> only = new LinkedHashSet<>(PHASES);
        Path json = null;
        Properties streamOverrides = new Properties();
        Integer sinkBatchRows = null;
        Properties clientOverrides = new Properties();
        Duration punctuate = null;
        List<Integer> latencyRates = null;
        Properties gatewayProperties = new Properties();
        boolean keepWorkDir = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> {
                    only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                    for (String phase : only) {
                        if (!PHASES.contains(phase)) {
                            throw new IllegalArgumentException("unknown phase " + phase + "; phases: " + PHASES);
                        }
                    }
                }
                case "--json" -> json = Path.of(args[++i]);
                case "--stream-config" -> streamOverrides.putAll(parseOverrides(args[++i]));
                case "--sink-batch-rows" -> sinkBatchRows = Integer.parseInt(args[++i]);
                case "--client-config" -> clientOverrides.putAll(parseOverrides(args[++i]));
                case "--punctuate-interval-s" -> punctuate = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--keep-work-dir" -> keepWorkDir = true;
                case "--gateway-property" -> gatewayProperties.putAll(parseOverrides(args[++i]));
                case "--latency-rates" -> latencyRates = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                default -> throw new IllegalArgumentException("usage: Benchmarks [--quick] [--only "
                        + String.join(",", PHASES) + "] [--json out.json] [--stream-config key=value,...] [--sink-batch-rows N] [--client-config key=value,...] [--punctuate-interval-s N] [--latency-rates R,...] [--gateway-property key=value,...] [--keep-work-dir]; unknown argument " + args[i]);
            }
        }
        Path workDir = Files.createTempDirectory("aicredits-bench-");
        Plan plan = quick ? Plan.quickPlan() : Plan.fullPlan();
        Benchmarks bench = new Benchmarks(latencyRates == null ? plan : plan.withLatencyRates(latencyRates), streamOverrides, workDir);
        bench.clientOverrides.putAll(clientOverrides);
        bench.gatewayProperties.putAll(gatewayProperties);
        if (punctuate != null) {
            bench.punctuateInterval = punctuate;
        }
        if (sinkBatchRows != null) {
            bench.sinkBatchRows = sinkBatchRows;
        }
        int exit = 0;
        try {
            bench.run(only);
        } catch (RuntimeException e) {
            log.error("benchmark aborted", e);
            exit = 1;
        }
        System.out.println();
        System.out.println(bench.results.table());
        if (json != null) {
            Files.writeString(json, bench.results.toJson(), StandardCharsets.UTF_8);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        // The work dir holds the broker's log segments, RocksDB state and ClickHouse's data: gigabytes
        // after a full run. Kept only when asked or when something failed, for its logs.
        if (exit == 0 && !keepWorkDir && bench.results.failedRows() == 0) {
            TempDirs.deleteRecursively(workDir);
        } else {
            System.out.println("Work dir kept (broker, child JVM and load client logs): " + workDir);
        }
        System.exit(exit);
    }

    private void run(java.util.Set<String> phases) {
        environment();
        long start = System.nanoTime();
        broker = KafkaBroker.start(workDir.resolve("kafka"), 0);
        try {
            broker.createAllTopics(PARTITIONS);
            for (String phase : PHASES) {
                if (!phases.contains(phase)) {
                    continue;
                }
                log.info("=== phase {} ===", phase);
                long phaseStart = System.nanoTime();
                try {
                    switch (phase) {
                        case "baseline-a" -> baselineA();
                        case "baseline-b" -> baselineB();
                        case "decisions" -> decisions();
                        case "latency" -> latency();
                        case "peers" -> peers();
                        case "gateway" -> gateway();
                        case "sink" -> sink();
                        case "memory" -> memory();
                        default -> throw new IllegalStateException(phase);
                    }
                } catch (Exception e) {
                    log.error("phase {} failed", phase, e);
                    results.add(phase, "error", Double.NaN, "", e.toString());
                }
                log.info("phase {} took {} s", phase, (System.nanoTime() - phaseStart) / 1_000_000_000);
            }
            double a = results.value("baseline-a", "records/s");
            double b = results.value("baseline-b", "records/s");
            double d = results.value("decisions", "decisions/s");
            if (!Double.isNaN(d) && !Double.isNaN(a)) {
                results.add("decisions", "ratio to baseline A", round2(d / a), "x", "");
            }
            if (!Double.isNaN(d) && !Double.isNaN(b)) {
                results.add("decisions", "ratio to baseline B", round2(d / b), "x", "target >= 0.5");
            }
            ratioToPeer(d, "postgresql sync_commit=off", "target >= 2.5");
            ratioToPeer(d, "postgresql sync_commit=on", "");
            ratioToPeer(d, "redis", "target >= 0.3");
        } finally {
            closeMeteringRuntime();
            broker.close();
            results.environment("totalSeconds", (System.nanoTime() - start) / 1_000_000_000);
            results.environment("loadAverageAtEnd", loadAverage());
        }
    }

    private void ratioToPeer(double ours, String peer, String note) {
        double theirs = results.value("peers", peer + " decisions/s");
        if (!Double.isNaN(ours) && !Double.isNaN(theirs)) {
            results.add("decisions", "ratio to " + peer, round2(ours / theirs), "x", note);
        }
    }

    /** {@code a=1,b=2} into properties. */
    static Properties parseOverrides(String spec) {
        Properties p = new Properties();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + pair);
            }
            p.setProperty(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return p;
    }

    /** The metering stream's configuration as the benchmark runs it. */
    private Properties streamsConfig(Properties base) {
        Properties overrides = new Properties();
        overrides.putAll(base);
        overrides.putAll(streamOverrides);
        return MeteringStreamsConfig.create(overrides);
    }

    private void environment() {
        Properties streams = streamsConfig(new Properties());
        results.environment("streamConfigOverrides", streamOverrides.toString());
        results.environment("mode", plan.quick() ? "quick" : "full");
        results.environment("cores", Runtime.getRuntime().availableProcessors());
        results.environment("javaVersion", System.getProperty("java.vm.name") + " " + Runtime.version());
        results.environment("jvmFlags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        results.environment("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        results.environment("loadAverageAtStart", loadAverage());
        results.environment("partitions", PARTITIONS);
        results.environment("users", plan.users());
        results.environment("commit.interval.ms", streams.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        results.environment("statestore.cache.max.bytes", streams.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG));
        results.environment("producer.linger.ms", streams.get(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG)));
        results.environment("processing.guarantee", streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        System.out.println("AI credits benchmarks (" + (plan.quick() ? "quick" : "full") + ")");
        System.out.printf("cores=%d java=%s%nflags=%s%nload=%s%nmetering-stream: commit.interval.ms=%s cache=%s linger.ms=%s guarantee=%s overrides=%s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), loadAverage(),
                streams.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG), streams.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG),
                streams.get(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG)),
                streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG), streamOverrides);
    }

    // ---------------------------------------------------------------- baselines

    private void baselineA() {
        String topic = "bench.baseline-a";
        broker.createTopic(topic, PARTITIONS, Map.of());
        byte[] value = new byte[encodedRequestSize()];
        new SplittableRandom(1).nextBytes(value);
        ZipfSampler users = new ZipfSampler(plan.users(), 1.0, 11);
        int warmup = plan.baselineRecords() / 10;
        // Warm-up (connections, metadata, JIT), then the measured run with the same producer.
        try (KafkaProducer<String, byte[]> producer = producer()) {
            sendAll(producer, warmup, i -> new ProducerRecord<>(topic, Events.userId(users.next()), value));
            long t0 = System.nanoTime();
            sendAll(producer, plan.baselineRecords(), i -> new ProducerRecord<>(topic, Events.userId(users.next()), value));
            double seconds = (System.nanoTime() - t0) / 1e9;
            results.add("baseline-a", "records/s", Math.round(plan.baselineRecords() / seconds), "rec/s",
                    plan.baselineRecords() + " x " + value.length + " B, idempotent, acks=all, linger 5 ms, batch 64 KB");
        }
    }

    private void baselineB() {
        String topic = "bench.baseline-b";
        broker.createTopic(topic, PARTITIONS, Map.of());
        byte[] value = new byte[encodedRequestSize()];
        new SplittableRandom(2).nextBytes(value);
        ZipfSampler users = new ZipfSampler(plan.users(), 1.0, 12);
        int records = plan.baselineRecords();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            sendAll(producer, records, i -> new ProducerRecord<>(topic, Events.userId(users.next()), value));
        }
        Properties overrides = new Properties();
        overrides.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-baseline-b");
        overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("state-baseline-b").toString());
        // Same configuration as the metering stream (exactly_once_v2, commit interval, cache, linger).
        Properties config = streamsConfig(overrides);
        try (KafkaStreams streams = new KafkaStreams(BaselineStreams.topology(topic), config)) {
            streams.start();
            Progress progress = awaitConsumed("bench-baseline-b", topic, records, plan.phaseTimeout());
            results.add("baseline-b", "records/s", Math.round(progress.rate()), "rec/s",
                    "EOS v2, 1 RocksDB store, get+put per record" + progress.note());
        }
    }

    // ---------------------------------------------------------------- decisions

    private void decisions() {
        int records = plan.decisionRecords();
        String topic = MeteringSettings.TopicNames.defaults().requests();
        AvroSerde<AiRequest> serde = AvroSerdes.aiRequest();
        ZipfSampler users = new ZipfSampler(plan.users(), 1.0, 13);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            sendAll(producer, records, i -> {
                AiRequest request = Events.textRequest("dec-" + i, Events.userId(users.next()), 0);
                return new ProducerRecord<>(topic, request.getUserId(), serde.encode(request));
            });
        }
        long startNanos = System.nanoTime();
        startMeteringRuntime();
        double startupSeconds = (System.nanoTime() - startNanos) / 1e9;
        Progress progress = awaitConsumed("bench-metering", topic, records, plan.phaseTimeout());
        results.add("decisions", "decisions/s", Math.round(progress.rate()), "dec/s",
                records + " AiRequests, " + plan.users() + " users Zipf(1.0), real topology, EOS v2"
                        + progress.note() + String.format(", startup %.1f s excluded", startupSeconds));
    }

    // ---------------------------------------------------------------- peers

    /**
     * The same decision in PostgreSQL (durable and {@code synchronous_commit=off}) and Redis, on
     * the {@code decisions} phase's Zipf user sequence; each peer's best client count and its
     * overspend check. A peer that is not installed is a "skipped" row, not a failure.
     */
    private void peers() throws Exception {
        String[] sequence = PeerDecisions.zipfUsers(plan.users(), plan.peerRequests());
        Optional<Path> postgresBin = PostgresPeer.binaries();
        if (postgresBin.isEmpty()) {
            results.add("peers", "postgresql", Double.NaN, "", "skipped: install postgresql (Debian: apt-get install postgresql)");
        } else {
            try (PostgresPeer postgres = PostgresPeer.start(postgresBin.get(), plan.users())) {
                for (boolean synchronous : List.of(true, false)) {
                    postgres.synchronousCommit(synchronous);
                    peerRows(postgres, "postgresql sync_commit=" + (synchronous ? "on" : "off"), sequence, PEER_CLIENTS);
                }
            }
        }
        Optional<Path> redisBin = RedisPeer.binary();
        if (redisBin.isEmpty()) {
            results.add("peers", "redis", Double.NaN, "", "skipped: install redis-server (Debian: apt-get install redis-server)");
        } else {
            try (RedisPeer redis = RedisPeer.start(redisBin.get())) {
                peerRows(redis, "redis", sequence, PEER_CLIENTS);
            }
        }
    }

    private void peerRows(PeerDecisions.Peer peer, String label, String[] sequence, List<Integer> clientCounts) throws Exception {
        PeerDecisions.Run best = null;
        List<String> tried = new ArrayList<>();
        for (int clients : clientCounts) {
            peer.reset();
            PeerDecisions.Run run = PeerDecisions.drive(peer, clients, sequence, "req-", plan.phaseTimeout());
            tried.add(clients + " clients: " + Math.round(run.rate()) + "/s");
            if (best == null || run.rate() > best.rate()) {
                best = run;
            }
        }
        Histogram latency = best.latencyMicros();
        results.add("peers", label + " decisions/s", Math.round(best.rate()), "dec/s",
                best.decisions() + " decisions (" + best.approvals() + " approved), " + plan.users() + " users Zipf(1.0); best of "
                        + String.join(", ", tried));
        String clients = "closed loop at " + best.clients() + " clients";
        results.add("peers", label + " p50", round2(ms(latency.getValueAtPercentile(50))), "ms", clients);
        results.add("peers", label + " p99", round2(ms(latency.getValueAtPercentile(99))), "ms",
                clients + ", max " + round2(ms(latency.getMaxValue())) + " ms");
        PeerDecisions.OverspendCheck check = PeerDecisions.overspendCheck(peer, best.clients(), 1_000);
        results.add("peers", label + " overspend check", check.approvals(), "approvals", check.toString());
    }

    private void startMeteringRuntime() {
        if (meteringRuntime != null) {
            return;
        }
        Properties overrides = new Properties();
        overrides.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-metering");
        overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("state-metering").toString());
        overrides.putAll(streamOverrides);
        meteringRuntime = MeteringStreamRuntime.start(overrides, MeteringSettings.defaults().withPunctuateInterval(punctuateInterval),
                MeteringMetrics.inMemory(),
                Duration.ofSeconds(120));
    }

    private void closeMeteringRuntime() {
        if (meteringRuntime != null) {
            meteringRuntime.close();
            meteringRuntime = null;
        }
    }

    // ---------------------------------------------------------------- latency

    private void latency() throws InterruptedException {
        startMeteringRuntime();
        Object commitInterval = streamsConfig(new Properties()).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        ZipfSampler users = new ZipfSampler(plan.users(), 1.0, 14);
        MeteringClientConfig.Builder builder = MeteringClientConfig.builder(broker.bootstrapServers())
                .instanceId("bench-latency").replyPartition(0).decisionTimeout(Duration.ofSeconds(30));
        clientOverrides.forEach((k, v) -> builder.kafkaProperty(k.toString(), v));
        MeteringClientConfig config = builder.build();
        try (MeteringClient client = MeteringClient.start(config)) {
            for (int rate : plan.latencyRates()) {
                Recorder recorder = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
                AtomicLong errors = new AtomicLong();
                long warmup = TimeUnit.SECONDS.toNanos(plan.latencyWarmupSeconds());
                long duration = warmup + TimeUnit.SECONDS.toNanos(plan.latencyMeasureSeconds());
                OpenLoopSchedule schedule = new OpenLoopSchedule(System.nanoTime() + 1_000_000, rate, warmup, duration);
                long sent = 0;
                long maxBehindNanos = 0;
                for (long i = 0; schedule.includes(i); i++) {
                    long due = schedule.dueAt(i);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait); // pacing of the open-loop sender
                    }
                    maxBehindNanos = Math.max(maxBehindNanos, System.nanoTime() - due);
                    boolean measured = schedule.measured(i);
                    AiRequest request = Events.textRequest("lat-" + rate + "-" + i, Events.userId(users.next()), 0);
                    client.decide(request).whenComplete((CreditDecision decision, Throwable error) -> {
                        if (error != null) {
                            errors.incrementAndGet();
                        } else if (measured) {
                            long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - due);
                            recorder.recordValue(Math.min(micros, TimeUnit.SECONDS.toMicros(60)));
                        }
                    });
                    sent++;
                }
                long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(35);
                while (client.pendingDecisions() > 0 && System.nanoTime() < drainDeadline) {
                    TimeUnit.MILLISECONDS.sleep(20); // bounded poll for the last answers
                }
                // The next rate starts on an idle stream: wait (bounded) until it has read every request.
                long backlogStart = System.nanoTime();
                Progress caughtUp = awaitConsumed("bench-metering", MeteringSettings.TopicNames.defaults().requests(),
                        endOffsets(MeteringSettings.TopicNames.defaults().requests()), Duration.ofSeconds(90));
                double backlogSeconds = (System.nanoTime() - backlogStart) / 1e9;
                Histogram h = recorder.getIntervalHistogram();
                String note = String.format("offered %d/s open loop, %d sent, %d measured, %d errors/timeouts, sender max behind %.1f ms, commit.interval.ms=%s, punctuate every %d s, client overrides %s, stream backlog drained %.1f s after the run%s",
                        rate, sent, h.getTotalCount(), errors.get(), maxBehindNanos / 1e6, commitInterval, punctuateInterval.toSeconds(), clientOverrides, backlogSeconds, caughtUp.note());
                String phase = "latency";
                String prefix = "@" + rate + "/s ";
                results.add(phase, prefix + "p50", ms(h.getValueAtPercentile(50)), "ms", note);
                results.add(phase, prefix + "p95", ms(h.getValueAtPercentile(95)), "ms", "");
                results.add(phase, prefix + "p99", ms(h.getValueAtPercentile(99)), "ms", rate == 5_000 ? "target <= 50 ms" : "");
                results.add(phase, prefix + "max", ms(h.getMaxValue()), "ms", "");
            }
        }
    }

    // ---------------------------------------------------------------- gateway

    private void gateway() throws IOException {
        startMeteringRuntime();
        System.setProperty("java.awt.headless", "true");
        ConcurrencySweep metered = gatewayRun("metered");
        // The same gateway with the benchmark's instant approver instead of the metering client
        ConcurrencySweep unmetered = gatewayRun("unmetered", InstantApprovals.class);
        ConcurrencySweep loadClient;
        try (TrivialEndpoint trivial = TrivialEndpoint.start()) {
            loadClient = loadClient("trivial", trivial.baseUrl());
        }
        addGatewayRows("", metered, "POST /api/ai/generate-text, sandbox provider, broker + stream + gateway in this JVM");
        addGatewayRows("unmetered ", unmetered, "same gateway and load; decisions from an instant approver in the benchmark's context");
        addGatewayRows("load client ", loadClient, "the load client against a bare reactor-netty endpoint: the most it can measure here");
        results.add("gateway", "ratio metered / unmetered", round2(metered.best().requestsPerSecond() / unmetered.best().requestsPerSecond()),
                "x", "best level of each; target >= 0.5; target metered >= 1,000 req/s");
        results.add("gateway", "ratio unmetered / load client", round2(unmetered.best().requestsPerSecond() / loadClient.best().requestsPerSecond()),
                "x", "the closer to 1, the more the load client itself limits the unmetered row");
        double decisionP50 = results.value("latency", "@1000/s p50");
        if (!Double.isNaN(decisionP50)) {
            ConcurrencySweep.Level lowest = metered.levels().get(0);
            results.add("gateway", "metered p50 - decision p50", round2(lowest.p50Ms() - decisionP50), "ms",
                    String.format("p50 at %d connections (%.1f ms) minus the latency phase's p50 @1000/s (%.1f ms); target <= 20 ms",
                            lowest.concurrency(), lowest.p50Ms(), decisionP50));
        }
    }

    /** One gateway in this JVM (with the given extra configuration classes) under the load client. */
    private ConcurrencySweep gatewayRun(String label, Class<?>... extraSources) throws IOException {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("spring.main.web-application-type", "reactive");
        properties.put("server.port", 0);
        properties.put("server.address", "127.0.0.1");
        properties.put("spring.kafka.bootstrap-servers", broker.bootstrapServers());
        properties.put("gateway.security.jwt-secret", GATEWAY_SECRET);
        properties.put("gateway.metering.instance-id", "bench-gateway-" + label);
        properties.put("gateway.metering.reply-partition", 1);
        properties.put("gateway.metering.decision-timeout", "15s");
        properties.put("gateway.metering.stream-url", "http://127.0.0.1:1");
        properties.put("gateway.media.dir", workDir.resolve("media").toString());
        properties.put("gateway.provider.mode", "sandbox");
        properties.put("logging.level.io.aicredits", "WARN");
        properties.put("spring.main.banner-mode", "off");
        gatewayProperties.forEach((key, value) -> properties.put(key.toString(), value));
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        List<Class<?>> sources = new ArrayList<>(List.of(GatewayApplication.class));
        sources.addAll(List.of(extraSources));
        try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).run(args)) {
            return loadClient(label, "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port"));
        }
    }

    /** Runs {@link GatewayLoadClient} in a child JVM against {@code baseUrl}: warm-up, then each concurrency level. */
    private ConcurrencySweep loadClient(String label, String baseUrl) throws IOException {
        Path out = workDir.resolve("gateway-load-" + label + ".properties");
        String levels = plan.gatewayConcurrencies().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        List<String> clientArgs = List.of(baseUrl, GATEWAY_SECRET, "20000", levels, Integer.toString(plan.gatewayWarmupSeconds()),
                Integer.toString(plan.gatewayMeasureSeconds()), out.toString());
        Path log = workDir.resolve("gateway-load-" + label + ".log");
        long bound = plan.gatewayWarmupSeconds() + (plan.gatewayMeasureSeconds() + 30L) * plan.gatewayConcurrencies().size() + 60;
        try (ChildJvm load = ChildJvm.start("gateway-load", GatewayLoadClient.class.getName(), clientArgs, Map.of(),
                List.of("-Xmx512m", "-XX:TieredStopAtLevel=4"), log)) {
            if (!load.awaitExit(Duration.ofSeconds(bound))) {
                throw new IllegalStateException("gateway load client did not finish; log " + load.logFile());
            }
        }
        if (!Files.exists(out)) {
            throw new IllegalStateException("gateway load client wrote no result; see " + log);
        }
        return ConcurrencySweep.from(load(out));
    }

    private void addGatewayRows(String prefix, ConcurrencySweep sweep, String what) {
        for (ConcurrencySweep.Level level : sweep.levels()) {
            results.add("gateway", prefix + "@" + level.concurrency() + " conn req/s", Math.round(level.requestsPerSecond()), "req/s",
                    String.format("p50 %.1f / p95 %.1f / p99 %.1f / max %.1f ms; ok=%d rejected=%d failed=%d",
                            level.p50Ms(), level.p95Ms(), level.p99Ms(), level.maxMs(), level.ok(), level.rejected(), level.failed()));
        }
        ConcurrencySweep.Level knee = sweep.knee();
        ConcurrencySweep.Level best = sweep.best();
        results.add("gateway", prefix + "knee (connections)", knee.concurrency(), "conn",
                (sweep.stillRising() ? "still rising at the highest level; " : "the next level adds < 10 %; ")
                        + String.format("closed loop, %d s warm-up at %d connections, then %d s per level; %s",
                        plan.gatewayWarmupSeconds(), plan.gatewayConcurrencies().get(plan.gatewayConcurrencies().size() - 1),
                        plan.gatewayMeasureSeconds(), what));
        results.add("gateway", prefix + "best req/s", Math.round(best.requestsPerSecond()), "req/s", "at " + best.concurrency() + " connections");
        results.add("gateway", prefix + "p50 at best", best.p50Ms(), "ms", "");
        results.add("gateway", prefix + "p99 at best", best.p99Ms(), "ms", "");
    }

    // ---------------------------------------------------------------- sink

    private void sink() throws InterruptedException, IOException {
        closeMeteringRuntime(); // not competing for the cores
        String usageTopic = "bench.usage";
        String ledgerTopic = "bench.ledger";
        broker.createTopic(usageTopic, PARTITIONS, Map.of());
        broker.createTopic(ledgerTopic, PARTITIONS, Map.of());
        int rows = plan.sinkRows();
        ZipfSampler users = new ZipfSampler(plan.users(), 1.0, 15);
        var serde = AvroSerdes.usageEvent();
        UsageRowMapper mapper = new UsageRowMapper();
        try (ClickHouseCeiling ceiling = new ClickHouseCeiling(workDir.resolve("sink-rows.tsv"))) {
            try (KafkaProducer<String, byte[]> producer = producer()) {
                sendAll(producer, rows, i -> {
                    var usage = Events.textUsage(i, Events.userId(users.next()));
                    // The same rows for the server's own rate (positions do not matter there)
                    ceiling.add(mapper.map(usage, 0, i));
                    return new ProducerRecord<>(usageTopic, usage.getUserId(), serde.encode(usage));
                });
            }
            try (ClickHouseServer clickHouse = ClickHouseServer.start(workDir.resolve("clickhouse"), 0, 0);
                 Client client = ClickHouseClients.create(clickHouse.endpoint(), "default", "", "default", Duration.ofSeconds(30))) {
                ClickHouseMigrations.migrate(client);
                double rate = sinkRate(client, usageTopic, ledgerTopic, rows);
                if (!ClickHouseCeiling.clientInstalled()) {
                    results.add("sink", "ceiling", Double.NaN, "rows/s", "skipped: " + ClickHouseCeiling.CLIENT
                            + " missing (apt-get install clickhouse-client)");
                    return;
                }
                double ceilingRate = ceilingRate(clickHouse, ceiling, rows);
                results.add("sink", "ratio to ceiling", round2(rate / ceilingRate), "x", "sink rows/s / ceiling rows/s");
            }
        }
    }

    /** Runs the real UsageSink over the topic and returns rows/s visible in ClickHouse after the first 10 %. */
    private double sinkRate(Client client, String usageTopic, String ledgerTopic, int rows) throws InterruptedException {
        SinkSettings defaults = SinkSettings.defaults();
        SinkSettings settings = new SinkSettings(usageTopic, ledgerTopic, defaults.deadLetterTopic(), "bench-sink",
                sinkBatchRows, defaults.batchMaxDelay(), defaults.initialBackoff(), defaults.maxBackoff(),
                defaults.insertTimeout());
        Map<String, Object> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", broker.bootstrapServers());
        try (UsageSink sink = new UsageSink(settings, kafka, client, new SimpleMeterRegistry())) {
            long start = System.nanoTime();
            sink.start();
            long deadline = start + plan.phaseTimeout().toNanos();
            long tWarm = -1;
            long cWarm = 0;
            long count = 0;
            while (System.nanoTime() < deadline) {
                count = Long.parseLong(ClickHouseSql.select(client, "SELECT count() FROM ai_usage_logs").get(0).get(0));
                if (tWarm < 0 && count >= rows / 10) {
                    tWarm = System.nanoTime();
                    cWarm = count;
                }
                if (count >= rows) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(50); // bounded poll of the visible row count
            }
            long end = System.nanoTime();
            boolean complete = count >= rows;
            double rate = tWarm < 0 || end == tWarm ? Double.NaN : (count - cWarm) / ((end - tWarm) / 1e9);
            results.add("sink", "rows/s", Math.round(rate), "rows/s",
                    String.format("%d UsageEvents topic -> ClickHouse 18.16 rows visible to count(), %s inserts, batch %d rows / %d ms, "
                                    + "after first 10%%; %s; from sink start %.0f rows/s",
                            rows, TabSeparatedRows.FORMAT, settings.batchMaxRows(), settings.batchMaxDelay().toMillis(),
                            complete ? "all rows visible" : "INCOMPLETE: " + count + " rows before the time bound",
                            count / ((end - start) / 1e9)));
            return rate;
        }
    }

    /** The same rows in one clickhouse-client insert into a fresh database with the same tables and view. */
    private double ceilingRate(ClickHouseServer clickHouse, ClickHouseCeiling ceiling, int rows)
            throws IOException, InterruptedException {
        ClickHouseClients.ensureDatabase(clickHouse.endpoint(), "default", "", "ceiling");
        try (Client client = ClickHouseClients.create(clickHouse.endpoint(), "default", "", "ceiling", Duration.ofSeconds(30))) {
            ClickHouseMigrations.migrate(client);
            Duration took = ceiling.insert(clickHouse.tcpPort(), "ceiling", UsageRowMapper.TABLE,
                    workDir.resolve("clickhouse-client.log"), plan.phaseTimeout());
            long stored = Long.parseLong(ClickHouseSql.select(client, "SELECT count() FROM ai_usage_logs").get(0).get(0));
            if (stored != rows) {
                throw new IllegalStateException("clickhouse-client stored " + stored + " of " + rows + " rows");
            }
            double rate = rows / (took.toNanos() / 1e9);
            results.add("sink", "ceiling", Math.round(rate), "rows/s", String.format(
                    "same %d rows, one clickhouse-client INSERT ... FORMAT %s from a file (%.0f ms, process start included)",
                    rows, TabSeparatedRows.FORMAT, took.toNanos() / 1e6));
            return rate;
        }
    }

    // ---------------------------------------------------------------- memory

    /** One row group per user count, each from a fresh child JVM on its own topics; a failed count is an error row. */
    private void memory() throws InterruptedException {
        closeMeteringRuntime();
        for (int users : plan.memoryUsers()) {
            String prefix = memoryRowPrefix(users);
            try {
                memoryAt(users, prefix);
            } catch (IOException | RuntimeException e) {
                log.error("memory phase at {} users failed", users, e);
                results.add("memory", prefix + "error", Double.NaN, "", e.toString());
            }
        }
    }

    /** The start of every memory row for {@code users} users, e.g. {@code "@10k users "}. */
    static String memoryRowPrefix(int users) {
        return "@" + usersLabel(users) + " users ";
    }

    /** A user count as rows and topic prefixes spell it: 10000 is {@code 10k}, 1000000 is {@code 1M}, 1500 is {@code 1500}. */
    static String usersLabel(int users) {
        if (users >= 1_000_000 && users % 1_000_000 == 0) {
            return users / 1_000_000 + "M";
        }
        if (users >= 1_000 && users % 1_000 == 0) {
            return users / 1_000 + "k";
        }
        return Integer.toString(users);
    }

    /**
     * The metering stream alone in a child JVM over {@code users} users: the fill (one request per
     * user, so each has a balance, a hold and a remembered decision), then a measured Zipf(1.0) batch
     * over the same users, then the child's heap figures and RSS.
     */
    private void memoryAt(int users, String prefix) throws IOException, InterruptedException {
        String name = "memory-" + usersLabel(users);
        String topicPrefix = "mem-" + usersLabel(users) + ".";
        MeteringSettings.TopicNames names = topicNames(topicPrefix);
        for (String topic : List.of(names.requests(), names.decisions(), names.usage(), names.commands(), names.ledger(), names.deadLetters())) {
            broker.createTopic(topic, PARTITIONS, Map.of());
        }
        broker.createTopic(names.prices(), PARTITIONS, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        AvroSerde<AiRequest> serde = AvroSerdes.aiRequest();
        String group = "bench-" + name;
        Path stats = workDir.resolve(name + "-stats.properties");
        Path trigger = workDir.resolve(name + "-gc-now");
        List<String> args = List.of(broker.bootstrapServers(), group, workDir.resolve("state-" + name).toString(),
                topicPrefix, stats.toString(), trigger.toString(), overridesSpec());
        String xmx = "-Xmx512m";
        long startNanos = System.nanoTime();
        try (ChildJvm child = ChildJvm.start("metering-stream-" + name, StreamChild.class.getName(), args, Map.of(),
                List.of(xmx, "-XX:TieredStopAtLevel=4"), workDir.resolve(name + "-stream.log"));
             KafkaProducer<String, byte[]> producer = producer()) {
            // The fill is timed from a running stream, so its rate is the stream's, not the child JVM's start-up
            Properties started = awaitStats(child, stats, s -> "RUNNING".equals(s.getProperty("state")), Duration.ofSeconds(120));
            requireAlive(child, xmx, "start-up");
            if (!"RUNNING".equals(started.getProperty("state"))) {
                throw new IllegalStateException("metering stream child not RUNNING within 120 s (state "
                        + started.getProperty("state") + "); see " + child.logFile());
            }
            double startupSeconds = (System.nanoTime() - startNanos) / 1e9;
            long fillStart = System.nanoTime();
            sendAll(producer, users, i -> {
                AiRequest request = Events.textRequest(name + "-fill-" + i, Events.userId((int) i), 0);
                return new ProducerRecord<>(names.requests(), request.getUserId(), serde.encode(request));
            });
            Progress fill = awaitConsumed(group, names.requests(), 0, users, plan.phaseTimeout().multipliedBy(3), child::isAlive);
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            requireDecided(child, xmx, "fill", fill);
            results.add("memory", prefix + "fill rate", Math.round(users / fillSeconds), "dec/s", String.format(
                    "%d requests, one per user (each gets a balance, a hold and a remembered decision), all decided in %.1f s "
                            + "from the first send; stream start-up %.1f s excluded; child JVM %s SerialGC, fresh topics %s*",
                    users, fillSeconds, startupSeconds, xmx, topicPrefix));

            // An unmeasured Zipf warm-up first, the same for every count: a small count's short fill
            // alone would leave its child's JIT much colder than a large count's for the measured batch
            int requests = plan.memoryRequests();
            int warmup = requests / 2;
            ZipfSampler zipf = new ZipfSampler(users, 1.0, 16);
            sendAll(producer, warmup + requests, i -> {
                AiRequest request = Events.textRequest(name + "-zipf-" + i, Events.userId(zipf.next()), 0);
                return new ProducerRecord<>(names.requests(), request.getUserId(), serde.encode(request));
            });
            Progress batch = awaitConsumed(group, names.requests(), users + warmup, requests, plan.phaseTimeout(), child::isAlive);
            requireDecided(child, xmx, "Zipf batch", batch);
            results.add("memory", prefix + "decisions/s", Math.round(batch.rate()), "dec/s", String.format(
                    "%d requests Zipf(1.0) over the %d filled users after %d unmeasured ones, from the committed offsets after the first 10 %%",
                    requests, users, warmup));

            Files.writeString(trigger, "gc");
            Properties s = awaitStats(child, stats, p -> Long.parseLong(p.getProperty("liveAfterGc", "-1")) > 0, Duration.ofSeconds(30));
            long hwm = procStatus(child.pid(), "VmHWM");
            results.add("memory", prefix + "peak heap used", mb(Long.parseLong(s.getProperty("heapPeak", "-1"))), "MB",
                    "sum of the heap pools' peaks over the child's whole run" + (users >= 1_000_000 ? "; target <= 512 MB" : ""));
            results.add("memory", prefix + "live heap after full GC", mb(Long.parseLong(s.getProperty("liveAfterGc", "-1"))), "MB", "");
            results.add("memory", prefix + "heap committed", mb(Long.parseLong(s.getProperty("heapCommitted", "-1"))), "MB", "");
            results.add("memory", prefix + "RSS peak", hwm == 0 ? Double.NaN : Math.round(hwm / 1024.0), "MB",
                    "VmHWM of the child; includes RocksDB's native memory");
        }
    }

    /** Polls the child's stats file (bounded) until {@code ready} holds; the last stats read otherwise (empty if none). */
    private static Properties awaitStats(ChildJvm child, Path stats, Predicate<Properties> ready, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties s = new Properties();
        while (System.nanoTime() < deadline && child.isAlive()) {
            s = Files.exists(stats) ? load(stats) : s;
            if (ready.test(s)) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(100); // bounded poll of the child's stats file
        }
        return s;
    }

    private static void requireAlive(ChildJvm child, String xmx, String step) {
        if (!child.isAlive()) {
            throw new IllegalStateException("metering stream child died during the " + step + " with exit code "
                    + child.exitValue() + " (OutOfMemoryError with " + xmx + "?); see " + child.logFile());
        }
    }

    private static void requireDecided(ChildJvm child, String xmx, String step, Progress progress) {
        requireAlive(child, xmx, step);
        if (progress.done() < progress.total()) {
            throw new IllegalStateException(step + ": " + progress.done() + " of " + progress.total()
                    + " requests decided before the time bound; see " + child.logFile());
        }
    }

    // ---------------------------------------------------------------- helpers

    private String overridesSpec() {
        StringBuilder spec = new StringBuilder();
        streamOverrides.forEach((k, v) -> spec.append(spec.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return spec.toString();
    }

    static MeteringSettings.TopicNames topicNames(String prefix) {
        return new MeteringSettings.TopicNames(prefix + "requests", prefix + "decisions", prefix + "usage",
                prefix + "commands", prefix + "ledger", prefix + "prices", prefix + "dlq");
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static void sendAll(KafkaProducer<String, byte[]> producer, long count, LongFunction<ProducerRecord<String, byte[]>> record) {
        AtomicLong failures = new AtomicLong();
        for (long i = 0; i < count; i++) {
            producer.send(record.apply(i), (metadata, error) -> {
                if (error != null) {
                    failures.incrementAndGet();
                }
            });
        }
        producer.flush();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + count + " records were not acknowledged");
        }
    }

    private static int encodedRequestSize() {
        AiRequest sample = Events.textRequest("req-" + "0".repeat(36), Events.userId(99_999), 0);
        return AvroSerdes.aiRequest().encode(sample).length;
    }

    /** How far a consumer group got through a topic: rate after the first 10 % (warm-up). */
    record Progress(long total, long done, long warmCount, long warmNanos, long endNanos) {
        double rate() {
            return warmNanos < 0 || endNanos <= warmNanos ? Double.NaN : (done - warmCount) / ((endNanos - warmNanos) / 1e9);
        }

        String note() {
            return done >= total ? "" : "; INCOMPLETE: " + done + " of " + total + " before the time bound";
        }
    }

    private Progress awaitConsumed(String group, String topic, long total, Duration timeout) {
        return awaitConsumed(group, topic, 0, total, timeout, () -> true);
    }

    /**
     * Like {@link #awaitConsumed(String, String, long, Duration)} for the {@code total} records after the
     * first {@code from} (already consumed); stops early once {@code running} is false (a dead consumer).
     */
    private Progress awaitConsumed(String group, String topic, long from, long total, Duration timeout, BooleanSupplier running) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long warmNanos = -1;
        long warmCount = 0;
        long done = 0;
        try (Admin admin = broker.newAdmin()) {
            while (System.nanoTime() < deadline && running.getAsBoolean()) {
                done = Math.max(0, committed(admin, group, topic) - from);
                if (warmNanos < 0 && done >= total / 10) {
                    warmNanos = System.nanoTime();
                    warmCount = done;
                }
                if (done >= total) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(50); // bounded poll of the committed offsets
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return new Progress(total, done, warmCount, warmNanos, System.nanoTime());
    }

    private long endOffsets(String topic) {
        try (Admin admin = broker.newAdmin()) {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions();
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> specs = new HashMap<>();
            partitions.forEach(p -> specs.put(new TopicPartition(topic, p.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest()));
            return admin.listOffsets(specs).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read end offsets of " + topic, e);
        }
    }

    private static long committed(Admin admin, String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read committed offsets of " + group, e);
        }
    }

    /** A {@code /proc/<pid>/status} field in kB, 0 when unavailable. */
    private static long procStatus(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            log.warn("cannot read /proc/{}/status: {}", pid, e.getMessage());
        }
        return 0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static double ms(long micros) {
        return Math.round(micros / 100.0) / 10.0;
    }

    private static double mb(long bytes) {
        return bytes < 0 ? Double.NaN : Math.round(bytes / (1024.0 * 1024.0));
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
