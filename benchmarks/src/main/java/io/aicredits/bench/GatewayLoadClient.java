package io.aicredits.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The gateway load client, run in its own JVM: keeps {@code concurrency} requests to
 * {@code POST /api/ai/generate-text} in flight (one user token each, round-robin over
 * {@code users}) for a warm-up and then a measured period, and writes req/s and latency
 * percentiles (ms) of the measured period to a properties file.
 *
 * <p>Arguments: base URL, HS256 secret, users, concurrency, warm-up seconds, measured seconds, output file.
 */
public final class GatewayLoadClient {

    private static final String BODY = "{\"prompt\":\"Write a short product update about metered AI credits\","
            + "\"tone\":\"friendly\",\"length\":\"short\"}";

    private GatewayLoadClient() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0] + "/api/ai/generate-text");
        String secret = args[1];
        int users = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        long warmupNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        long measureNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[5]));
        Path out = Path.of(args[6]);

        String[] tokens = new String[users];
        for (int i = 0; i < users; i++) {
            tokens[i] = token("gw-user-" + i, secret);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Histogram latencies = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicLong ok = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong measuredCompleted = new AtomicLong();
        long start = System.nanoTime();
        long measureStart = start + warmupNanos;
        long end = measureStart + measureNanos;
        long i = 0;
        while (System.nanoTime() < end) {
            if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            String token = tokens[(int) (i++ % users)];
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .build();
            long sent = System.nanoTime();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                long done = System.nanoTime();
                inFlight.release();
                if (error != null) {
                    failed.incrementAndGet();
                } else if (response.statusCode() == 200) {
                    ok.incrementAndGet();
                } else if (response.statusCode() == 400) {
                    rejected.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                if (sent >= measureStart && done <= end) {
                    measuredCompleted.incrementAndGet();
                    synchronized (latencies) {
                        latencies.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(done - sent), latencies.getHighestTrackableValue()));
                    }
                }
            });
        }
        // Let the last requests finish (bounded) so connections close cleanly.
        inFlight.tryAcquire(concurrency, 30, TimeUnit.SECONDS);
        Properties result = new Properties();
        synchronized (latencies) {
            result.setProperty("requestsPerSecond", Double.toString(measuredCompleted.get() / (measureNanos / 1e9)));
            result.setProperty("p50Ms", Double.toString(latencies.getValueAtPercentile(50) / 1000.0));
            result.setProperty("p95Ms", Double.toString(latencies.getValueAtPercentile(95) / 1000.0));
            result.setProperty("p99Ms", Double.toString(latencies.getValueAtPercentile(99) / 1000.0));
            result.setProperty("maxMs", Double.toString(latencies.getMaxValue() / 1000.0));
        }
        result.setProperty("ok", Long.toString(ok.get()));
        result.setProperty("rejected", Long.toString(rejected.get()));
        result.setProperty("failed", Long.toString(failed.get()));
        try (OutputStream stream = Files.newOutputStream(out)) {
            result.store(stream, "gateway load client");
        }
        System.exit(0);
    }

    static String token(String subject, String secret) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .subject(subject)
                    .claim("roles", List.of("user"))
                    .issueTime(new Date())
                    .expirationTime(Date.from(Instant.now().plusSeconds(3600)))
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign load-client token", e);
        }
    }
}
