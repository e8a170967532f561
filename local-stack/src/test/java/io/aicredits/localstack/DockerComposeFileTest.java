package io.aicredits.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.internal.InternalToken;
import io.aicredits.schemas.Topic;
import io.aicredits.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be started here (no Docker engine), so this keeps it honest against
 * the build: images, Dockerfiles and the jars they copy, every environment variable against the
 * apps' configuration, ports, health checks, references between services, and the topic list.
 */
class DockerComposeFileTest {

    /** The app services and their default HTTP ports (docs/architecture.md). */
    private static final Map<String, Integer> APPS = Map.of(
            "metering-stream", 7070, "usage-sink", 7071, "reset-scheduler", 7072, "alerts", 7073, "gateway", 5050);
    /** Spring Boot's own properties the apps use without declaring them. */
    private static final Set<String> SPRING_BOOT_PROPERTIES = Set.of("spring.kafka.bootstrap-servers", "server.port");
    private static final Pattern KEY_IN_JAVA = Pattern.compile("\"([a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)+)\"");

    private static Path repo;
    private static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readComposeFile() throws IOException {
        repo = Path.of(System.getProperty("localstack.repo-dir", "..")).toAbsolutePath().normalize();
        try (InputStream in = Files.newInputStream(repo.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(in);
            services = (Map<String, Object>) compose.get("services");
        }
    }

    @Test
    void shouldUseOfficialKafkaAndCurrentClickHouseImages() {
        assertThat(string(service("kafka"), "image")).startsWith("apache/kafka:4.");
        assertThat(env(service("kafka"))).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
        String clickHouse = string(service("clickhouse"), "image");
        assertThat(clickHouse).startsWith("clickhouse/clickhouse-server:");
        int major = Integer.parseInt(clickHouse.substring(clickHouse.indexOf(':') + 1).split("\\.")[0]);
        assertThat(major).as("a current ClickHouse, not 18.16").isGreaterThanOrEqualTo(24);
    }

    @Test
    void shouldBuildEveryAppFromItsDockerfileAndExecJar() throws IOException {
        String version = System.getProperty("project.version");
        assertThat(version).as("project.version system property").isNotBlank();
        for (String app : APPS.keySet()) {
            Map<String, Object> service = service(app);
            Map<String, Object> build = map(service, "build");
            assertThat(string(build, "context")).isEqualTo(".");
            Path dockerfile = repo.resolve(string(build, "dockerfile"));
            assertThat(dockerfile).as(app).isEqualTo(repo.resolve(app).resolve("Dockerfile")).exists();
            String text = Files.readString(dockerfile, StandardCharsets.UTF_8);
            assertThat(text).contains("FROM eclipse-temurin:17-jre");
            Matcher jar = Pattern.compile("ARG JAR_FILE=(\\S+)").matcher(text);
            assertThat(jar.find()).as("%s declares ARG JAR_FILE", dockerfile).isTrue();
            assertThat(jar.group(1)).isEqualTo(app + "/target/" + app + "-" + version + "-exec.jar");
            assertThat(repo.resolve(jar.group(1))).as("the jar %s copies (built by the reactor before local-stack)", dockerfile)
                    .isRegularFile();
            assertThat(string(service, "image")).isEqualTo("aicredits/" + app + ":" + version);
        }
    }

    @Test
    void shouldPublishAndHealthCheckEachAppOnItsOwnPort() throws IOException {
        for (Map.Entry<String, Integer> app : APPS.entrySet()) {
            int port = app.getValue();
            Map<String, Object> service = service(app.getKey());
            assertThat(list(service, "ports")).as(app.getKey()).containsExactly("127.0.0.1:" + port + ":" + port);
            assertThat(defaultServerPort(app.getKey())).as("%s's default server.port", app.getKey()).isEqualTo(port);
            assertThat(String.join(" ", list(map(service, "healthcheck"), "test")))
                    .contains("http://localhost:" + port + "/actuator/health");
            String dockerfile = Files.readString(repo.resolve(app.getKey()).resolve("Dockerfile"), StandardCharsets.UTF_8);
            assertThat(dockerfile).contains("EXPOSE " + port).contains("http://localhost:" + port + "/actuator/health");
        }
    }

    @Test
    void shouldSetOnlyEnvironmentVariablesTheAppsRead() throws IOException {
        for (String app : APPS.keySet()) {
            Set<String> known = knownEnvironmentNames(app);
            assertThat(env(service(app)).keySet()).as("%s's environment; it reads %s", app, known).isSubsetOf(known);
        }
    }

    @Test
    void shouldPointEveryAppAtServicesThatExist() {
        for (String app : APPS.keySet()) {
            Map<String, String> env = env(service(app));
            assertThat(env).containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
            for (String value : env.values()) {
                Matcher url = Pattern.compile("^https?://([a-z-]+):(\\d+)").matcher(value);
                if (url.find()) {
                    assertThat(services).as("service of %s", value).containsKey(url.group(1));
                    if (APPS.containsKey(url.group(1))) {
                        assertThat(Integer.parseInt(url.group(2))).isEqualTo(APPS.get(url.group(1)));
                    }
                }
            }
            map(service(app), "depends_on").keySet().forEach(dependency -> assertThat(services).containsKey(dependency));
        }
        assertThat(env(service("kafka")).get("KAFKA_ADVERTISED_LISTENERS")).contains("PLAINTEXT://kafka:9092");
        // The sink writes as "sink"; the gateway's analytics read as "analytics" (the users docker/clickhouse creates)
        assertThat(env(service("usage-sink"))).containsEntry("CLICKHOUSE_URL", "http://clickhouse:8123")
                .containsEntry("CLICKHOUSE_USER", "sink")
                .containsEntry("CLICKHOUSE_PASSWORD", env(service("clickhouse")).get("CLICKHOUSE_SINK_PASSWORD"));
        assertThat(env(service("gateway"))).containsEntry("CLICKHOUSE_URL", "http://clickhouse:8123")
                .containsEntry("CLICKHOUSE_USER", "analytics")
                .containsEntry("CLICKHOUSE_PASSWORD", env(service("clickhouse")).get("CLICKHOUSE_ANALYTICS_PASSWORD"));
        // alerts' daily report reads the same ClickHouse under its own keys (alerts.report.clickhouse.*), read-only too
        assertThat(env(service("alerts"))).containsEntry("ALERTS_REPORT_CLICKHOUSE_URL", "http://clickhouse:8123")
                .containsEntry("ALERTS_REPORT_CLICKHOUSE_USERNAME", "analytics")
                .containsEntry("ALERTS_REPORT_CLICKHOUSE_PASSWORD", env(service("clickhouse")).get("CLICKHOUSE_ANALYTICS_PASSWORD"));
        assertThat(map(service("alerts"), "depends_on")).containsKeys("kafka-topics", "clickhouse");
    }

    @Test
    void shouldPublishEveryPortOnLoopbackOnly() {
        for (Map.Entry<String, Object> service : services.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> definition = (Map<String, Object>) service.getValue();
            if (definition.containsKey("ports")) {
                assertThat(list(definition, "ports")).as(service.getKey()).allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
            }
        }
        assertThat(env(service("kafka")).get("KAFKA_ADVERTISED_LISTENERS")).contains("HOST://localhost:9094");
    }

    @Test
    void shouldTakeEverySecretFromTheEnvironmentWithoutADefault() {
        Pattern required = Pattern.compile("^\\$\\{[A-Z][A-Z0-9_]*:\\?[^}]+}$");
        for (Map.Entry<String, Object> service : services.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> definition = (Map<String, Object>) service.getValue();
            if (!definition.containsKey("environment")) {
                continue;
            }
            env(definition).forEach((name, value) -> {
                if (name.contains("PASSWORD") || name.contains("SECRET") || name.contains("TOKEN")) {
                    assertThat(value).as("%s of %s", name, service.getKey()).matches(required);
                }
            });
        }
        for (String app : APPS.keySet()) {
            assertThat(env(service(app))).as(app).containsKey("AICREDITS_INTERNAL_TOKEN");
        }
    }

    @Test
    void shouldKeepTheGatewaysTestModeOff() {
        assertThat(env(service("gateway")).getOrDefault("GATEWAY_SECURITY_TESTMODE", "false")).isEqualTo("false");
    }

    @Test
    void shouldGiveClickHouseAWritingAndAReadOnlyUser() throws IOException {
        assertThat(list(service("clickhouse"), "volumes"))
                .contains("./docker/clickhouse/create-users.sh:/docker-entrypoint-initdb.d/create-users.sh:ro");
        String script = Files.readString(repo.resolve("docker/clickhouse/create-users.sh"), StandardCharsets.UTF_8);
        assertThat(script)
                .contains("CREATE USER IF NOT EXISTS sink IDENTIFIED WITH sha256_password BY $(sql_string \"$CLICKHOUSE_SINK_PASSWORD\")")
                .contains("GRANT SELECT, INSERT, CREATE TABLE, CREATE VIEW, ALTER TABLE, ALTER VIEW ON default.* TO sink;")
                .contains("CREATE USER IF NOT EXISTS analytics IDENTIFIED WITH sha256_password BY $(sql_string \"$CLICKHOUSE_ANALYTICS_PASSWORD\")")
                .contains("SETTINGS readonly = 2;")
                .contains("GRANT SELECT ON default.* TO analytics;");
        assertThat(script.lines().filter(line -> line.startsWith("GRANT") && line.endsWith("TO analytics;")))
                .as("analytics may only read").containsExactly("GRANT SELECT ON default.* TO analytics;");
        assertThat(Files.isExecutable(repo.resolve("docker/clickhouse/create-users.sh"))).isTrue();
    }

    @Test
    void shouldCreateEveryTopicCompactedWhereTheDescriptorSaysSo() {
        String script = String.join("\n", list(service("kafka-topics"), "command"));
        List<String> created = new ArrayList<>();
        for (String line : script.lines().toList()) {
            Matcher topic = Pattern.compile("^create --topic (\\S+) --partitions (\\d+)(.*)$").matcher(line.trim());
            if (topic.find()) {
                created.add(topic.group(1));
                Topic<?, ?> descriptor = Topics.all().stream().filter(t -> t.name().equals(topic.group(1))).findFirst().orElseThrow();
                assertThat(topic.group(3).contains("cleanup.policy=compact")).as(descriptor.name()).isEqualTo(descriptor.compacted());
            }
        }
        assertThat(created).containsExactlyInAnyOrderElementsOf(Topics.all().stream().map(Topic::name).toList());
    }

    /**
     * Environment variables an app reads: {@code ${NAME...}} placeholders in its main sources and
     * resources, and the environment names (GATEWAY_METERING_STREAMURL) Spring Boot binds to the property keys in
     * its application.yml, of dotted keys quoted in its Java sources, and of Spring Boot's own.
     */
    private static Set<String> knownEnvironmentNames(String app) throws IOException {
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>(SPRING_BOOT_PROPERTIES);
        // Every app also reads the internal token (internal-auth's InternalToken.PROPERTY).
        keys.add(InternalToken.PROPERTY);
        Path main = repo.resolve(app).resolve("src").resolve("main");
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".java") && !name.endsWith(".yml") && !name.endsWith(".properties")) {
                    continue;
                }
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Matcher placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(text);
                while (placeholder.find()) {
                    names.add(placeholder.group(1));
                }
                if (name.equals("application.yml")) {
                    keys.addAll(flatten("", new Yaml().load(text)).keySet());
                } else if (name.endsWith(".java")) {
                    Matcher key = KEY_IN_JAVA.matcher(text);
                    while (key.find()) {
                        keys.add(key.group(1));
                    }
                }
            }
        }
        // Spring Boot's mapping drops dashes (SPRING_KAFKA_BOOTSTRAPSERVERS); its legacy form turns them into underscores.
        for (String key : keys) {
            String upper = key.toUpperCase(Locale.ROOT).replace(".", "_");
            names.add(upper.replace("-", ""));
            names.add(upper.replace("-", "_"));
        }
        return names;
    }

    /** server.port from application.yml ({@code 7070} or {@code ${X:7070}}) or from defaults set in code. */
    private static int defaultServerPort(String app) throws IOException {
        Path yml = repo.resolve(app).resolve("src/main/resources/application.yml");
        if (Files.exists(yml)) {
            Object port = flatten("", new Yaml().load(Files.readString(yml, StandardCharsets.UTF_8))).get("server.port");
            if (port != null) {
                Matcher number = Pattern.compile("(\\d+)}?$").matcher(port.toString());
                assertThat(number.find()).isTrue();
                return Integer.parseInt(number.group(1));
            }
        }
        try (Stream<Path> files = Files.walk(repo.resolve(app).resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher port = Pattern.compile("\"server\\.port\",\\s*\"(\\d+)\"").matcher(Files.readString(file, StandardCharsets.UTF_8));
                if (port.find()) {
                    return Integer.parseInt(port.group(1));
                }
            }
        }
        throw new AssertionError(app + " sets no default server.port");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> flatten(String prefix, Object node) {
        Map<String, Object> flat = new LinkedHashMap<>();
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flat.putAll(flatten(prefix.isEmpty() ? key.toString() : prefix + "." + key, value)));
        } else {
            flat.put(prefix, node);
        }
        return flat;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        assertThat(services).as("docker-compose services").containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return ((List<Object>) parent.get(key)).stream().map(String::valueOf).toList();
    }

    private static String string(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return String.valueOf(parent.get(key));
    }

    private static Map<String, String> env(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        map(service, "environment").forEach((key, value) -> env.put(key, String.valueOf(value)));
        return env;
    }
}
