package io.aicredits.localstack;

import io.aicredits.infra.ChildJvm;
import io.aicredits.infra.ClickHouseServer;
import io.aicredits.infra.FreePorts;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.schemas.Topic;
import io.aicredits.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The whole pipeline on one machine, without Docker: a Kafka broker (KRaft, in this JVM), a
 * ClickHouse process, and metering-stream, alerts, usage-sink, reset-scheduler and gateway, each a child
 * JVM started from its own executable jar (the apps' Spring auto-configurations must not share a
 * class path). All state lives in the data directory, so a stop and a start keep balances, the
 * ledger and ClickHouse rows. Once everything is up, an app that exits on its own is restarted
 * with a back-off ({@link SupervisedApp}, {@link RestartPolicy}). {@link #close()} stops
 * everything in reverse order.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration HEALTH_POLL = Duration.ofMillis(500);

    private final LocalStackSettings settings;
    private final DemoTokens tokens;
    private final RestartPolicy restartPolicy;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    /** The apps by module, in start order. */
    private final Map<String, SupervisedApp> apps = new LinkedHashMap<>();
    private KafkaBroker kafka;
    private ClickHouseServer clickHouse;
    private int gatewayPort;
    private int streamPort;
    private int alertsPort;
    private boolean openAiKeySet;
    private boolean closed;

    private LocalStack(LocalStackSettings settings, DemoTokens tokens, RestartPolicy restartPolicy) {
        this.settings = settings;
        this.tokens = tokens;
        this.restartPolicy = restartPolicy;
    }

    /**
     * Starts everything and waits until every app reports healthy. On any failure, what was
     * already started is stopped again before the exception is thrown.
     *
     * @param environment the process environment ({@code GATEWAY_JWT_SECRET}, {@code OPENAI_API_KEY})
     * @throws InstanceLock.AlreadyRunningException when another local run uses the data directory
     */
    public static LocalStack start(LocalStackSettings settings, Map<String, String> environment) {
        InstanceLock lock = InstanceLock.acquire(settings.dataDir());
        LocalStack stack;
        try {
            stack = new LocalStack(settings, DemoTokens.forDataDir(settings.dataDir(), environment.get("GATEWAY_JWT_SECRET")),
                    RestartPolicy.DEFAULT);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        stack.started.push(lock);
        try {
            stack.startAll(environment);
            return stack;
        } catch (RuntimeException e) {
            try {
                stack.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    private void startAll(Map<String, String> environment) {
        if ("openai".equals(settings.provider()) && isBlank(environment.get("OPENAI_API_KEY"))) {
            throw new IllegalArgumentException("--provider openai needs the environment variable OPENAI_API_KEY");
        }
        openAiKeySet = !isBlank(environment.get("OPENAI_API_KEY"));
        Path dataDir = settings.dataDir();
        long begin = System.nanoTime();

        kafka = KafkaBroker.start(dataDir.resolve("kafka"), settings.kafkaPort());
        started.push(kafka);
        createTopics();

        clickHouse = ClickHouseServer.start(dataDir.resolve("clickhouse"), settings.clickHouseHttpPort(), settings.clickHouseTcpPort());
        started.push(clickHouse);
        log.info("ClickHouse on {} (data dir {})", clickHouse.endpoint(), clickHouse.dataDir());

        streamPort = portOrFree(settings.streamPort());
        alertsPort = portOrFree(settings.alertsPort());
        gatewayPort = portOrFree(settings.gatewayPort());
        for (AppSpec app : apps(environment)) {
            Path jar = app.execJar(settings.repoDir());
            Path logFile = dataDir.resolve("logs").resolve(app.module() + ".log");
            SupervisedApp supervised = new SupervisedApp(app.module(),
                    () -> ChildJvm.startJar(app.module(), jar, app.args(), app.environment(), Map.of(), app.jvmOptions(), logFile),
                    child -> awaitHealthy(app, child), restartPolicy);
            started.push(supervised);
            this.apps.put(app.module(), supervised);
        }
        for (SupervisedApp app : this.apps.values()) {
            app.awaitReady();
        }
        // Only once all are up: a failure while starting stops the whole run instead of restarting one app.
        this.apps.values().forEach(SupervisedApp::supervise);
        log.info("local run ready in {} s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin));
    }

    /** The five apps in start order; they stop in reverse order. */
    private List<AppSpec> apps(Map<String, String> environment) {
        Path dataDir = settings.dataDir();
        String bootstrap = "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers();
        int sinkPort = portOrFree(settings.sinkPort());
        int schedulerPort = portOrFree(settings.schedulerPort());

        AppSpec stream = new AppSpec("metering-stream", streamPort, List.of(
                "--server.port=" + streamPort,
                bootstrap,
                "--metering.state-dir=" + dataDir.resolve("metering-stream"),
                "--metering.application-server=127.0.0.1:" + streamPort),
                // A user never seen answers 200 with the opening allowance once the stores are queryable (nothing is written).
                Map.of(), List.of("-Xmx384m"), "/balances/local-run-readiness-probe");
        // Budgets and alert channels stay at alerts' defaults (none): budgets come from ai.settings (PUT /api/admin/settings).
        // The daily report is off (it needs spring.mail.*); its ClickHouse is this one once enabled.
        AppSpec alerts = new AppSpec("alerts", alertsPort, List.of(
                "--server.port=" + alertsPort,
                bootstrap,
                "--alerts.state-dir=" + dataDir.resolve("alerts"),
                "--alerts.report.clickhouse.url=" + clickHouse.endpoint()),
                Map.of(), List.of("-Xmx256m"), null);
        AppSpec sink = new AppSpec("usage-sink", sinkPort, List.of(
                "--server.port=" + sinkPort,
                bootstrap,
                "--usage-sink.clickhouse.url=" + clickHouse.endpoint()),
                Map.of(), List.of("-Xmx256m"), null);
        AppSpec scheduler = new AppSpec("reset-scheduler", schedulerPort, List.of(
                "--server.port=" + schedulerPort,
                bootstrap),
                Map.of(), List.of("-Xmx192m"), null);
        List<String> gatewayArgs = new ArrayList<>(List.of(
                "--server.port=" + gatewayPort,
                bootstrap,
                "--gateway.metering.instance-id=gateway-local",
                "--gateway.metering.stream-url=http://127.0.0.1:" + streamPort,
                "--gateway.media.dir=" + dataDir.resolve("media"),
                "--gateway.security.test-mode=" + settings.testMode(),
                "--gateway.provider.mode=" + settings.provider(),
                // The analytics API (/api/admin/analytics/**) reads the usage-sink's tables; ignored by a gateway without it.
                "--gateway.clickhouse.url=" + clickHouse.endpoint()));
        // The secret goes by environment (not visible in ps); OPENAI_API_KEY is inherited as it is.
        AppSpec gateway = new AppSpec("gateway", gatewayPort, gatewayArgs,
                Map.of("GATEWAY_JWT_SECRET", tokens.secret()), List.of("-Xmx256m"), null);
        return List.of(stream, alerts, sink, scheduler, gateway);
    }

    private void createTopics() {
        for (Topic<?, ?> topic : Topics.all()) {
            kafka.createTopic(topic, settings.partitions());
        }
        try (Admin admin = kafka.newAdmin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.all().stream().map(Topic::name).toList())
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            topics.values().stream()
                    .filter(t -> t.partitions().size() != settings.partitions())
                    .forEach(t -> log.warn("topic {} already exists with {} partitions (not {}); it is left as it is",
                            t.name(), t.partitions().size(), settings.partitions()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the topics", e);
        }
    }

    private void awaitHealthy(AppSpec app, ChildJvm child) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + settings.startupTimeout().toNanos();
        for (String url : app.readinessUrls()) {
            awaitOk(http, url, app, child, deadline);
        }
        log.info("{} ready on port {} (pid {})", app.module(), app.port(), child.pid());
    }

    private void awaitOk(HttpClient http, String url, AppSpec app, ChildJvm child, long deadline) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new IllegalStateException(app.module() + " exited with code " + child.exitValue() + " while starting; its log "
                        + child.logFile() + " ends with:\n" + SupervisedApp.tail(child.logFile()));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + app.module(), e);
            }
            child.awaitExit(HEALTH_POLL);
        }
        throw new IllegalStateException(app.module() + " not ready at " + url + " after " + settings.startupTimeout()
                + " (last answer: " + last + "); its log " + child.logFile() + " ends with:\n" + SupervisedApp.tail(child.logFile()));
    }

    public String gatewayUrl() {
        return "http://localhost:" + gatewayPort;
    }

    public int gatewayPort() {
        return gatewayPort;
    }

    public String streamUrl() {
        return "http://127.0.0.1:" + streamPort;
    }

    public String alertsHealthUrl() {
        return "http://127.0.0.1:" + alertsPort + "/actuator/health";
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public ClickHouseServer clickHouse() {
        return clickHouse;
    }

    /** The pid of the child JVM that runs {@code module} now (it changes when the app is restarted). */
    public long appPid(String module) {
        return app(module).current().pid();
    }

    SupervisedApp app(String module) {
        SupervisedApp app = apps.get(module);
        if (app == null) {
            throw new IllegalArgumentException("no app " + module + " (apps: " + apps.keySet() + ")");
        }
        return app;
    }

    public DemoTokens tokens() {
        return tokens;
    }

    public LocalStackSettings settings() {
        return settings;
    }

    /** What a user sees once everything is up: URL, demo tokens, a curl line, where things are. */
    public String banner() {
        String userToken = tokens.user(DemoTokens.DEMO_USER);
        String adminToken = tokens.superAdmin(DemoTokens.DEMO_ADMIN);
        Path dataDir = settings.dataDir();
        return String.join("\n",
                "",
                "AI credits pipeline is running.",
                "",
                "  Gateway:          " + gatewayUrl(),
                "  Kafka:            " + kafka.bootstrapServers() + " (topics: " + String.join(", ", Topics.all().stream().map(Topic::name).toList()) + ")",
                "  ClickHouse:       " + clickHouse.endpoint() + " (HTTP), tcp port " + clickHouse.tcpPort(),
                "  metering-stream:  " + streamUrl() + "/balances/{userId}",
                "  alerts:           " + alertsHealthUrl() + " (alerts on topic ai.alerts)",
                "  AI provider:      " + settings.provider() + ("auto".equals(settings.provider())
                        ? (openAiKeySet ? " (OpenAI: OPENAI_API_KEY is set)" : " (sandbox: no OPENAI_API_KEY)") : ""),
                "  Data dir:         " + dataDir + " (logs in " + dataDir.resolve("logs") + ")",
                "",
                "Demo user (" + DemoTokens.DEMO_USER + ", role user), valid 30 days:",
                "  export TOKEN=" + userToken,
                "Demo super admin (" + DemoTokens.DEMO_ADMIN + ", role super_admin):",
                "  export ADMIN_TOKEN=" + adminToken,
                "",
                // The token rides in the URL fragment: the browser never sends it to a server; the page
                // moves it to session storage and removes it from the address bar.
                "Dashboard (super admin, one click):  " + gatewayUrl() + "/admin.html#token=" + adminToken,
                "My credits (demo user):              " + gatewayUrl() + "/credits.html#token=" + userToken,
                "",
                "Try:",
                "  curl -s " + gatewayUrl() + "/api/ai/credits -H \"Authorization: Bearer $TOKEN\"",
                "  curl -s -X POST " + gatewayUrl() + "/api/ai/generate-text -H \"Content-Type: application/json\" -H \"Authorization: Bearer $TOKEN\" \\",
                "       -d '{\"prompt\":\"Test\",\"tone\":\"friendly\",\"length\":\"short\"}'",
                "",
                "An app that exits is restarted (the console says so). Ctrl-C stops everything; the next start continues from the data dir.",
                "");
    }

    /** Stops the apps (reverse start order), then ClickHouse, then Kafka, then releases the lock. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping the local run failed");
                }
                failure.addSuppressed(e);
            }
        }
        log.info("local run stopped");
        if (failure != null) {
            throw failure;
        }
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println("Usage: run-local.sh [options]\n\n" + LocalStackSettings.usage());
            return;
        }
        LocalStackSettings settings;
        try {
            settings = LocalStackSettings.parse(Arrays.asList(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LocalStackSettings.usage());
            System.exit(2);
            return;
        }
        LocalStack stack;
        try {
            stack = start(settings, System.getenv());
        } catch (InstanceLock.AlreadyRunningException e) {
            System.err.println(e.getMessage());
            System.exit(3);
            return;
        } catch (RuntimeException e) {
            log.error("the local run failed to start; everything it started is stopped again", e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            try {
                System.out.println("Stopping: gateway, reset-scheduler, usage-sink, alerts, metering-stream, ClickHouse, Kafka...");
                stack.close();
            } finally {
                stopped.countDown();
            }
        };
        // Our own handlers, so the stop runs in order (JVM shutdown hooks would run all at once).
        Signal.handle(new Signal("INT"), signal -> stop.run());
        Signal.handle(new Signal("TERM"), signal -> stop.run());
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-run-shutdown"));

        System.out.println(stack.banner());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stack.close();
        }
        System.out.println("Stopped.");
    }

    private static int portOrFree(int port) {
        return port == 0 ? FreePorts.next() : port;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
