package io.aicredits.starter;

import io.aicredits.client.Balance;
import io.aicredits.client.MeteringUnavailableException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads balances from the metering stream's interactive queries ({@code GET {url}/balances/{userId}}).
 * A {@code 503} (stores restoring) is retried every 100 ms within the query timeout.
 */
final class BalanceQueries {

    private static final Duration RETRY_INTERVAL = Duration.ofMillis(100);

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;
    private final JsonMapper json = JsonMapper.builder().build();

    BalanceQueries(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    CompletableFuture<Balance> balance(String userId) {
        return attempt(userId, System.nanoTime() + timeout.toNanos());
    }

    private CompletableFuture<Balance> attempt(String userId, long deadline) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/balances/" + URLEncoder.encode(userId, StandardCharsets.UTF_8)))
                .timeout(timeout).header("Accept", "application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error != null) {
                        return CompletableFuture.<Balance>failedFuture(new MeteringUnavailableException(
                                "Balance of " + userId + " unavailable: the metering stream at " + base + " cannot be reached", error));
                    }
                    if (response.statusCode() == 200) {
                        return CompletableFuture.completedFuture(json.readValue(response.body(), Balance.class));
                    }
                    if (response.statusCode() == 503 && System.nanoTime() + RETRY_INTERVAL.toNanos() < deadline) {
                        return CompletableFuture.supplyAsync(() -> null,
                                        CompletableFuture.delayedExecutor(RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS))
                                .thenCompose(ignored -> attempt(userId, deadline));
                    }
                    return CompletableFuture.<Balance>failedFuture(new MeteringUnavailableException(
                            "Balance of " + userId + " unavailable: the metering stream answered HTTP " + response.statusCode(), null));
                })
                .thenCompose(future -> future);
    }
}
