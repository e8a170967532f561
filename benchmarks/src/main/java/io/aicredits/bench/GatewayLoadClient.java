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
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The gateway load client, run in its own JVM: a closed loop of {@code POST /api/ai/generate-text}
 * (one user token each, round-robin over {@code users}). It first warms the server up at the
 * highest concurrency (unmeasured: the gateway's code is still being compiled), then measures
 * each concurrency level in turn, lowest first, waiting for the previous level's requests to
 * finish before the next starts. Per level it writes req/s and latency percentiles (ms) to a
 * properties file, keys prefixed {@code c<level>.}; {@code levels} lists the levels measured.
 *
 * <p>Arguments: base URL, HS256 secret, users, levels {@code 32,64,…}, warm-up seconds, measured
 * seconds per level, output file.
 */
public final class GatewayLoadClient {

    private static final String BODY = "{\"prompt\":\"Write a short product update about metered AI credits\","
            + "\"tone\":\"friendly\",\"length\":\"short\"}";
    /** The endpoint every request goes to. */
    static final String PATH = "/api/ai/generate-text";

    private final URI uri;
    private final String[] tokens;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private long sent;

    private GatewayLoadClient(URI uri, String[] tokens) {
        this.uri = uri;
        this.tokens = tokens;
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0] + PATH);
        String secret = args[1];
        int users = Integer.parseInt(args[2]);
        List<Integer> levels = parseLevels(args[3]);
        long warmupSeconds = Long.parseLong(args[4]);
        long measureSeconds = Long.parseLong(args[5]);
        Path out = Path.of(args[6]);

        String[] tokens = new String[users];
        for (int i = 0; i < users; i++) {
            tokens[i] = token("gw-user-" + i, secret);
        }
        GatewayLoadClient client = new GatewayLoadClient(uri, tokens);
        Properties result = new Properties();
        int highest = levels.stream().mapToInt(Integer::intValue).max().orElseThrow();
        client.run(highest, TimeUnit.SECONDS.toNanos(warmupSeconds), null);
        for (int level : levels) {
            client.run(level, TimeUnit.SECONDS.toNanos(measureSeconds), result);
        }
        result.setProperty("levels", args[3]);
        try (OutputStream stream = Files.newOutputStream(out)) {
            result.store(stream, "gateway load client");
        }
        System.exit(0);
    }

    /** Concurrency levels, e.g. {@code 32,64,128}: positive, ascending, no repeats. */
    static List<Integer> parseLevels(String spec) {
        List<Integer> levels = Arrays.stream(spec.split(",")).map(String::trim).map(Integer::valueOf).toList();
        for (int i = 0; i < levels.size(); i++) {
            if (levels.get(i) <= 0 || (i > 0 && levels.get(i) <= levels.get(i - 1))) {
                throw new IllegalArgumentException("concurrency levels must be positive and ascending: " + spec);
            }
        }
        return levels;
    }

    /**
     * Keeps {@code concurrency} requests in flight for {@code nanos}, then waits (bounded) until they
     * finished. With {@code result} the period is measured: only requests sent and answered within it count.
     */
    private void run(int concurrency, long nanos, Properties result) throws InterruptedException {
        Histogram latencies = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicLong ok = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + nanos;
        while (System.nanoTime() < end) {
            if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + tokens[(int) (sent++ % tokens.length)])
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .build();
            long requestStart = System.nanoTime();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                long done = System.nanoTime();
                inFlight.release();
                if (done > end) {
                    return;
                }
                if (error != null) {
                    failed.incrementAndGet();
                } else if (response.statusCode() == 200) {
                    ok.incrementAndGet();
                } else if (response.statusCode() == 400) {
                    rejected.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                completed.incrementAndGet();
                synchronized (latencies) {
                    latencies.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(done - requestStart), latencies.getHighestTrackableValue()));
                }
            });
        }
        // The next level starts with nothing in flight.
        inFlight.tryAcquire(concurrency, 30, TimeUnit.SECONDS);
        if (result == null) {
            return;
        }
        String key = "c" + concurrency + ".";
        synchronized (latencies) {
            result.setProperty(key + "requestsPerSecond", Double.toString(completed.get() / (nanos / 1e9)));
            result.setProperty(key + "p50Ms", Double.toString(latencies.getValueAtPercentile(50) / 1000.0));
            result.setProperty(key + "p95Ms", Double.toString(latencies.getValueAtPercentile(95) / 1000.0));
            result.setProperty(key + "p99Ms", Double.toString(latencies.getValueAtPercentile(99) / 1000.0));
            result.setProperty(key + "maxMs", Double.toString(latencies.getMaxValue() / 1000.0));
        }
        result.setProperty(key + "ok", Long.toString(ok.get()));
        result.setProperty(key + "rejected", Long.toString(rejected.get()));
        result.setProperty(key + "failed", Long.toString(failed.get()));
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
