package io.aicredits.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the local run can be told. Each option is a flag ({@code --gateway-port 5050}, or
 * {@code --gateway-port=5050}) or an environment variable named after it
 * ({@code LOCAL_RUN_GATEWAY_PORT}); a flag wins over the variable. Port {@code 0} picks a free port.
 *
 * @param repoDir            the repository root, where {@code <module>/target/<module>-<version>-exec.jar} are
 * @param dataDir            all state: Kafka logs, ClickHouse data, the stream's state stores, images, logs
 * @param gatewayPort        gateway HTTP port
 * @param kafkaPort          Kafka client port
 * @param clickHouseHttpPort ClickHouse HTTP port
 * @param clickHouseTcpPort  ClickHouse native port
 * @param streamPort         metering-stream HTTP (balance queries, actuator)
 * @param sinkPort           usage-sink actuator
 * @param schedulerPort      reset-scheduler actuator
 * @param alertsPort         alerts actuator
 * @param partitions         partitions of every topic created here (existing topics keep theirs)
 * @param provider           gateway AI provider: {@code auto} (OpenAI when OPENAI_API_KEY is set), {@code sandbox}, {@code openai}
 * @param testMode           gateway test mode: users may reset their own credits; off unless
 *                           asked for (run-local.sh asks for it and the banner says so)
 * @param bindAddress        the address the apps' HTTP ports listen on: 127.0.0.1 unless told otherwise
 *                           ({@code 0.0.0.0} for every interface); Kafka and ClickHouse always stay on 127.0.0.1
 * @param startupTimeout     how long each app may take to report healthy
 */
public record LocalStackSettings(
        Path repoDir,
        Path dataDir,
        int gatewayPort,
        int kafkaPort,
        int clickHouseHttpPort,
        int clickHouseTcpPort,
        int streamPort,
        int sinkPort,
        int schedulerPort,
        int alertsPort,
        int partitions,
        String provider,
        boolean testMode,
        Duration startupTimeout,
        String bindAddress) {

    /** Flag → default value, in the order {@code --help} lists them. */
    static final Map<String, String> OPTIONS = options();

    private static final List<String> PROVIDERS = List.of("auto", "sandbox", "openai");

    public LocalStackSettings {
        repoDir = repoDir.toAbsolutePath().normalize();
        dataDir = dataDir.toAbsolutePath().normalize();
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("--bind-address must be an address such as 127.0.0.1 or 0.0.0.0");
        }
        if (!PROVIDERS.contains(provider)) {
            throw new IllegalArgumentException("--provider must be one of " + PROVIDERS + ", got " + provider);
        }
    }

    private static Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("repo-dir", ".");
        options.put("data-dir", "<repo-dir>/.local-run");
        options.put("gateway-port", "5050");
        options.put("kafka-port", "9092");
        options.put("clickhouse-http-port", "8123");
        options.put("clickhouse-tcp-port", "9000");
        options.put("stream-port", "7070");
        options.put("sink-port", "7071");
        options.put("scheduler-port", "7072");
        options.put("alerts-port", "7073");
        options.put("partitions", "6");
        options.put("provider", "auto");
        options.put("test-mode", "false");
        options.put("startup-timeout", "240");
        options.put("bind-address", "127.0.0.1");
        return options;
    }

    /** {@code --gateway-port} → {@code LOCAL_RUN_GATEWAY_PORT}. */
    static String envName(String option) {
        return "LOCAL_RUN_" + option.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Settings from command-line flags, then environment variables, then defaults. */
    public static LocalStackSettings parse(List<String> args, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        OPTIONS.keySet().forEach(option -> {
            String fromEnv = env.get(envName(option));
            if (fromEnv != null && !fromEnv.isBlank()) {
                values.put(option, fromEnv.trim());
            }
        });
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (see --help)");
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (!OPTIONS.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
            values.put(name, value);
        }
        Path repoDir = Path.of(values.getOrDefault("repo-dir", "."));
        Path dataDir = values.containsKey("data-dir") ? Path.of(values.get("data-dir")) : repoDir.resolve(".local-run");
        return new LocalStackSettings(
                repoDir,
                dataDir,
                port(values, "gateway-port"),
                port(values, "kafka-port"),
                port(values, "clickhouse-http-port"),
                port(values, "clickhouse-tcp-port"),
                port(values, "stream-port"),
                port(values, "sink-port"),
                port(values, "scheduler-port"),
                port(values, "alerts-port"),
                integer(values, "partitions"),
                values.getOrDefault("provider", OPTIONS.get("provider")).toLowerCase(Locale.ROOT),
                bool(values, "test-mode"),
                Duration.ofSeconds(integer(values, "startup-timeout")),
                values.getOrDefault("bind-address", OPTIONS.get("bind-address")).trim());
    }

    /** The text of {@code --help}. */
    static String usage() {
        StringBuilder text = new StringBuilder("Options (flag, or environment variable; port 0 = a free port):\n");
        OPTIONS.forEach((option, defaultValue) -> text.append(String.format("  --%-22s %-34s default %s%n",
                option + " V", envName(option), defaultValue)));
        text.append("  OPENAI_API_KEY (env): use OpenAI instead of the sandbox provider (with --provider auto or openai)\n");
        text.append("  GATEWAY_JWT_SECRET (env): HS256 secret of the gateway; default: generated once into <data-dir>/jwt-secret\n");
        text.append("  AICREDITS_INTERNAL_TOKEN (env): the apps' internal token; default: generated once into <data-dir>/internal-token\n");
        return text.toString();
    }

    private static int port(Map<String, String> values, String option) {
        int port = integer(values, option);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--" + option + " must be a port (0-65535), got " + port);
        }
        return port;
    }

    private static int integer(Map<String, String> values, String option) {
        String value = values.getOrDefault(option, OPTIONS.get(option));
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + " must be a number, got '" + value + "'", e);
        }
    }

    private static boolean bool(Map<String, String> values, String option) {
        String value = values.getOrDefault(option, OPTIONS.get(option)).trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("--" + option + " must be true or false, got '" + value + "'");
        };
    }
}
