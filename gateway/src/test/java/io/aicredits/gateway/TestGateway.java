package io.aicredits.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.aicredits.internal.InternalToken;
import io.aicredits.stream.testing.MeteringStreamServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A running gateway on a free port for tests, with HS256 test tokens. Started with
 * {@link #start(Map)} and closed with {@link #close()}.
 */
public final class TestGateway implements AutoCloseable {

    public static final String SECRET = "test-secret-for-hs256-at-least-32-bytes-long!";
    /** The internal token of test gateways and the stream they query. */
    public static final String INTERNAL_TOKEN = MeteringStreamServer.INTERNAL_TOKEN;

    private final ConfigurableApplicationContext context;
    private final int port;

    private TestGateway(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** Properties every test gateway needs; {@code overrides} win. */
    public static TestGateway start(String bootstrapServers, Path mediaDir, Map<String, Object> overrides) {
        System.setProperty("java.awt.headless", "true");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", 0);
        properties.put("server.address", "127.0.0.1");
        properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
        properties.put("gateway.security.jwt-secret", SECRET);
        properties.put(InternalToken.PROPERTY, INTERNAL_TOKEN);
        properties.put("gateway.metering.instance-id", "gateway-test-" + UUID.randomUUID());
        properties.put("gateway.metering.reply-partition", 0);
        properties.put("gateway.metering.decision-timeout", "15s");
        properties.put("gateway.metering.stream-url", "http://127.0.0.1:1");
        properties.put("gateway.media.dir", mediaDir.toString());
        properties.put("gateway.provider.mode", "sandbox");
        properties.putAll(overrides);
        // Command-line arguments outrank application.yml (default properties would not).
        String[] args = properties.entrySet().stream()
                .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class).run(args);
        return new TestGateway(context);
    }

    public int port() {
        return port;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    /** A user's balance in one pool, as a super admin reads it ({@code GET /api/admin/credits/{user}}). */
    public long adminBalance(String userId, String pool) {
        Map<String, Object> body = http().get().uri("/api/admin/credits/" + userId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + adminToken("admin"))
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        return ((Number) ((Map<?, ?>) body.get("balances")).get(pool)).longValue();
    }

    public WebTestClient http() {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60))
                .build();
    }

    public static String userToken(String userId) {
        return token(userId, List.of("user"), SECRET);
    }

    public static String adminToken(String userId) {
        return token(userId, List.of("super_admin"), SECRET);
    }

    public static String token(String subject, List<String> roles, String secret) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .subject(subject)
                    .claim("roles", roles)
                    .issueTime(new Date())
                    .expirationTime(Date.from(Instant.now().plusSeconds(3600)))
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign test token", e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
