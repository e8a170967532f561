package io.aicredits.stream.testing;

import static org.awaitility.Awaitility.await;

import io.aicredits.infra.FreePorts;
import io.aicredits.infra.KafkaBroker;
import io.aicredits.stream.MeteringStreamApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real metering backend for other modules' end-to-end tests (published in this module's
 * test-jar): a KRaft broker with every topic of {@code Topics}, and the metering-stream service
 * (its Spring app: topology plus {@code GET /balances/{userId}}) on a free port of 127.0.0.1 with
 * a temp state dir. {@link #start} returns once balance queries answer; {@link #close()} stops both.
 *
 * <p>The stream app reads no {@code application.yml} (the caller's test classpath may hold its
 * own) and runs without Spring Security's auto-configurations (the caller's may hold them):
 * everything it needs is passed as arguments; callers add theirs.
 */
public final class MeteringStreamServer implements AutoCloseable {

    /** Spring Security's auto-configurations, servlet and resource server; absent ones are ignored. */
    private static final List<String> SECURITY_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration");

    private final KafkaBroker broker;
    private final ConfigurableApplicationContext stream;
    private final String url;
    private final Path workDir;

    private MeteringStreamServer(KafkaBroker broker, ConfigurableApplicationContext stream, Path workDir) {
        this.broker = broker;
        this.stream = stream;
        this.workDir = workDir;
        this.url = "http://127.0.0.1:" + stream.getEnvironment().getProperty("local.server.port");
    }

    /**
     * Starts a broker with every topic ({@code partitions} each) and the stream on it.
     *
     * @param extraArgs further Spring Boot arguments for the stream app ({@code --name=value})
     */
    public static MeteringStreamServer start(int partitions, String... extraArgs) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("metering-stream-server-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KafkaBroker broker = KafkaBroker.start();
        try {
            broker.createAllTopics(partitions);
            int httpPort = FreePorts.next();
            List<String> args = new ArrayList<>(List.of(
                    "--spring.config.name=metering-stream-server",
                    "--spring.main.web-application-type=servlet",
                    "--server.port=" + httpPort,
                    "--server.address=127.0.0.1",
                    // Interactive queries locate a key's owner through application.server.
                    "--metering.application-server=127.0.0.1:" + httpPort,
                    "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                    "--metering.application-id=metering-test-" + UUID.randomUUID(),
                    "--metering.state-dir=" + workDir.resolve("stream-state"),
                    "--metering.punctuate-interval=1s",
                    // The stream has no security; a caller's test class path may hold Spring Security.
                    "--spring.autoconfigure.exclude=" + String.join(",", SECURITY_AUTO_CONFIGURATIONS)));
            args.addAll(List.of(extraArgs));
            ConfigurableApplicationContext stream = new SpringApplicationBuilder(MeteringStreamApplication.class)
                    .run(args.toArray(String[]::new));
            MeteringStreamServer server = new MeteringStreamServer(broker, stream, workDir);
            try {
                server.awaitBalancesServed();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    private void awaitBalancesServed() {
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> client.send(
                HttpRequest.newBuilder(URI.create(url + "/balances/warm-up")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    public KafkaBroker broker() {
        return broker;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Base URL of the stream's HTTP endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    /** A temp directory of this server, for the caller's own files. */
    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        try {
            stream.close();
        } finally {
            broker.close();
        }
    }
}
