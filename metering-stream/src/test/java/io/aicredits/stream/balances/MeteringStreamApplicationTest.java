package io.aicredits.stream.balances;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.stream.MeteringSettings;
import io.aicredits.stream.MeteringStreamApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Spring service without a reachable broker: it starts, binds settings, answers 503 and exposes metrics. */
@SpringBootTest(classes = MeteringStreamApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.kafka.bootstrap-servers=127.0.0.1:1",
                "metering.streams.task.timeout.ms=1000",
                "metering.hold-timeout=3m",
                "metering.plans.PRO.ai_credits=600",
                "metering.catalog.image_generation.pool=ai_credits",
                "metering.catalog.image_generation.credits=6"
        })
class MeteringStreamApplicationTest {

    @TempDir
    static Path stateDir;

    @DynamicPropertySource
    static void stateDir(DynamicPropertyRegistry registry) {
        registry.add("metering.state-dir", () -> stateDir.toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    MeteringSettings settings;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldBindMeteringPropertiesOverDefaults() {
        assertThat(settings.holdTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(settings.limitOf("PRO", MeteringSettings.AI_CREDITS)).isEqualTo(600);
        assertThat(settings.catalog().get("image_generation").credits()).isEqualTo(6);
        assertThat(settings.catalog().get("text_generation").credits()).isEqualTo(1);
        assertThat(settings.dedupWindow()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileStreamIsNotRunning() throws Exception {
        HttpResponse<String> response = get("/balances/u1");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(response.body()).contains("not available");
    }

    @Test
    void shouldExposeMeteringMetricsOnPrometheusEndpoint() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("metering_processing_latency_seconds").contains("metering_holds_open")
                .contains("metering_holds_expired_total");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
