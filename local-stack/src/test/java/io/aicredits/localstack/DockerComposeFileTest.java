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
            // spring.kafka.properties is a map: any key below it, for an app that reads the map.
            Set<String> names = new HashSet<>(env(service(app)).keySet());
            if (known.contains("SPRING_KAFKA_PROPERTIES")) {
                names.removeIf(name -> name.startsWith("SPRING_KAFKA_PROPERTIES_"));
            }
            assertThat(names).as("%s's environment; it reads %s", app, known).isSubsetOf(known);
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
        assertThat(env(service("kafka")).get("KAFKA_ADVERTISED_LISTENERS")).contains("INTERNAL://kafka:9092");
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
        // Inside the container, the PLAINTEXT listeners (controller, inter-broker) bind its loopback only.
        Map<String, String> kafka = env(service("kafka"));
        Map<String, String> protocols = listenerProtocols(kafka);
        for (String listener : kafka.get("KAFKA_LISTENERS").split(",")) {
            String name = listener.substring(0, listener.indexOf("://"));
            if (protocols.get(name).equals("PLAINTEXT")) {
                assertThat(listener).as("PLAINTEXT listener %s", name).startsWith(name + "://127.0.0.1:");
            }
        }
        assertThat(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo("1@127.0.0.1:9093");
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
                Matcher password = Pattern.compile("password=\"([^\"]*)\"").matcher(value);
                while (password.find()) {
                    assertThat(password.group(1)).as("password in %s of %s", name, service.getKey()).matches(required);
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
    void shouldCreateEveryTopicCompactedWhereTheDescriptorSaysSo() throws IOException {
        String script = kafkaSetupScript();
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

    @Test
    void shouldRequireSaslScramOnEveryListenerReachableFromOutsideTheBroker() {
        Map<String, String> kafka = env(service("kafka"));
        assertThat(string(service("kafka"), "image")).isEqualTo("apache/kafka:4.3.1");
        Map<String, String> protocols = listenerProtocols(kafka);
        assertThat(protocols).containsEntry("INTERNAL", "SASL_PLAINTEXT").containsEntry("HOST", "SASL_PLAINTEXT");
        assertThat(kafka).containsEntry("KAFKA_SASL_ENABLED_MECHANISMS", "SCRAM-SHA-512")
                .containsEntry("KAFKA_AUTHORIZER_CLASS_NAME", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false")
                // ANONYMOUS is only reachable on the loopback PLAINTEXT listeners: the broker itself
                .containsEntry("KAFKA_SUPER_USERS", "User:admin;User:ANONYMOUS")
                .containsEntry("KAFKA_LISTENER_NAME_INTERNAL_SCRAM___SHA___512_SASL_JAAS_CONFIG", SCRAM_SERVER)
                .containsEntry("KAFKA_LISTENER_NAME_HOST_SCRAM___SHA___512_SASL_JAAS_CONFIG", SCRAM_SERVER);
        // The admin's credential is written when the storage is formatted (the only way to have the first one)
        assertThat(list(service("kafka"), "command")).containsExactly("/bin/bash", "/etc/kafka/aicredits/format-and-run.sh");
        assertThat(list(service("kafka"), "volumes"))
                .contains("./docker/kafka/format-and-run.sh:/etc/kafka/aicredits/format-and-run.sh:ro");
        assertThat(kafka.keySet()).as("the image writes every KAFKA_* variable into server.properties")
                .noneMatch(name -> name.startsWith("KAFKA_") && name.contains("PASSWORD"));
    }

    @Test
    void shouldGiveEveryAppItsOwnScramUser() throws IOException {
        String script = kafkaSetupScript();
        Map<String, String> setupEnv = env(service("kafka-topics"));
        for (String app : APPS.keySet()) {
            String variable = "KAFKA_" + app.toUpperCase(Locale.ROOT).replace('-', '_') + "_PASSWORD";
            Map<String, String> env = env(service(app));
            assertThat(env).as(app).containsEntry("SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                    .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + app
                                    + "\" password=\"${" + variable + ":?set " + variable + "}\";");
            assertThat(setupEnv).as("kafka-topics creates %s's user", app).containsEntry(variable, "${" + variable + ":?set " + variable + "}");
            assertThat(script.lines()).as("%s's SCRAM user", app).contains("user " + app + " " + variable);
            assertThat(knownEnvironmentNames(app)).as("%s reads spring.kafka.properties.*", app).contains("SPRING_KAFKA_PROPERTIES");
        }
        assertThat(setupEnv.get("SCRAM_ADMIN_PASSWORD")).isEqualTo(env(service("kafka")).get("SCRAM_ADMIN_PASSWORD"));
        assertThat(list(service("kafka-topics"), "volumes")).contains("./docker/kafka/setup.sh:/etc/kafka/aicredits/setup.sh:ro");
        assertThat(Files.isExecutable(repo.resolve("docker/kafka/setup.sh"))).isTrue();
        assertThat(Files.isExecutable(repo.resolve("docker/kafka/format-and-run.sh"))).isTrue();
    }

    @Test
    void shouldLetOnlyTheProducingAppsWriteEachTopic() throws IOException {
        List<Acl> acls = acls(kafkaSetupScript());
        Map<String, Set<String>> writers = new LinkedHashMap<>();
        for (Topic<?, ?> topic : Topics.all()) {
            writers.put(topic.name(), principals(acls, "topic", topic.name(), "Write"));
        }
        assertThat(writers).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ai.requests", Set.of("gateway"),
                "ai.usage", Set.of("gateway"),
                "credit.commands", Set.of("gateway", "reset-scheduler"),
                "ai.decisions", Set.of("metering-stream"),
                "credit.ledger", Set.of("metering-stream"),
                "credit.prices", Set.of(),
                "ai.settings", Set.of("gateway", "alerts"),
                "ai.api-keys", Set.of("gateway"),
                "ai.alerts", Set.of("alerts"),
                "metering.dlq", Set.of("metering-stream", "usage-sink", "alerts")));
        assertThat(principals(acls, "topic", "ai.usage", "Read")).containsExactlyInAnyOrder("metering-stream", "usage-sink", "alerts");
        assertThat(principals(acls, "topic", "credit.ledger", "Read")).containsExactlyInAnyOrder("usage-sink", "alerts");
        assertThat(acls).as("no wildcard grants").noneMatch(acl -> acl.name().equals("*"));
    }

    @Test
    void shouldGrantEachStreamsAppItsInternalTopicsGroupAndTransactionalIds() throws IOException {
        List<Acl> acls = acls(kafkaSetupScript());
        for (String applicationId : List.of(streamsApplicationId("metering-stream", "metering.application-id"),
                streamsApplicationId("alerts", "alerts.application-id"))) {
            String changelog = applicationId + "-some-store-changelog";
            assertThat(principals(acls, "topic", changelog, "Create")).containsExactly(applicationId);
            assertThat(principals(acls, "topic", changelog, "Write")).containsExactly(applicationId);
            assertThat(principals(acls, "group", applicationId, "Read")).containsExactly(applicationId);
            assertThat(principals(acls, "transactional-id", applicationId + "-0f5e2c4a-1", "Write")).containsExactly(applicationId);
        }
        assertThat(principals(acls, "group", "usage-sink", "Read")).containsExactly("usage-sink");
        assertThat(principals(acls, "group", "alerts-notifier", "Read")).containsExactly("alerts");
        assertThat(principals(acls, "transactional-id", "reset-scheduler", "Write")).containsExactly("reset-scheduler");
    }

    private static final String SCRAM_SERVER = "org.apache.kafka.common.security.scram.ScramLoginModule required;";

    /** One allowed operation of kafka-acls.sh: principal, resource type, name, pattern type (literal or prefixed). */
    private record Acl(String principal, String operation, String resourceType, String name, boolean prefixed) {
        boolean covers(String type, String resource, String wanted) {
            boolean operationMatches = operation.equals(wanted) || operation.equals("All")
                    // Kafka: Write, Read, Delete and Alter imply Describe
                    || (wanted.equals("Describe") && Set.of("Write", "Read", "Delete", "Alter").contains(operation));
            return resourceType.equals(type) && operationMatches && (prefixed ? resource.startsWith(name) : resource.equals(name));
        }
    }

    /** The {@code allow NAME --operation X --topic Y ...} lines of docker/kafka/setup.sh, crossed as kafka-acls.sh does. */
    private static List<Acl> acls(String script) {
        List<Acl> acls = new ArrayList<>();
        for (String line : script.lines().map(String::trim).filter(l -> l.startsWith("allow ")).toList()) {
            String[] words = line.split("\\s+");
            String principal = words[1];
            List<String> operations = new ArrayList<>();
            List<String[]> resources = new ArrayList<>();
            boolean prefixed = false;
            for (int i = 2; i < words.length; i += 2) {
                switch (words[i]) {
                    case "--operation" -> operations.add(words[i + 1]);
                    case "--topic", "--group", "--transactional-id" -> resources.add(new String[] {words[i].substring(2), words[i + 1]});
                    case "--resource-pattern-type" -> prefixed = words[i + 1].equals("prefixed");
                    default -> throw new AssertionError("unexpected option in: " + line);
                }
            }
            for (String operation : operations) {
                for (String[] resource : resources) {
                    acls.add(new Acl(principal, operation, resource[0], resource[1], prefixed));
                }
            }
        }
        assertThat(acls).as("ACLs in docker/kafka/setup.sh").isNotEmpty();
        return acls;
    }

    private static Set<String> principals(List<Acl> acls, String type, String resource, String operation) {
        Set<String> principals = new HashSet<>();
        acls.stream().filter(acl -> acl.covers(type, resource, operation)).forEach(acl -> principals.add(acl.principal()));
        return principals;
    }

    /** The app's Kafka Streams application id as its application.yml sets it; it names the app's SCRAM user too. */
    private static String streamsApplicationId(String app, String key) throws IOException {
        Path yml = repo.resolve(app).resolve("src/main/resources/application.yml");
        Object id = flatten("", new Yaml().load(Files.readString(yml, StandardCharsets.UTF_8))).get(key);
        assertThat(id).as("%s in %s", key, yml).isEqualTo(app);
        return app;
    }

    private static String kafkaSetupScript() throws IOException {
        assertThat(list(service("kafka-topics"), "command")).containsExactly("/etc/kafka/aicredits/setup.sh");
        return Files.readString(repo.resolve("docker/kafka/setup.sh"), StandardCharsets.UTF_8);
    }

    private static Map<String, String> listenerProtocols(Map<String, String> kafka) {
        Map<String, String> protocols = new LinkedHashMap<>();
        for (String entry : kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(",")) {
            String[] parts = entry.split(":");
            protocols.put(parts[0], parts[1]);
        }
        return protocols;
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
                // Extra client properties of every Kafka client (the apps' KafkaClientProperties, Spring Boot's KafkaProperties)
                if (text.contains("spring.kafka.properties")) {
                    names.add("SPRING_KAFKA_PROPERTIES");
                }
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
