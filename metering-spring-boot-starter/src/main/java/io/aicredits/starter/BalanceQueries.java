package io.aicredits.starter;

import io.aicredits.client.Balance;
import io.aicredits.client.CommandOutcome;
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
 * Reads balances ({@code GET {url}/balances/{userId}}) and command outcomes
 * ({@code GET {url}/balances/{userId}/commands/{commandId}}) from the metering stream's interactive queries.
 * A {@code 503} (stores restoring) is retried every 100 ms within the query timeout. The stream's
 * internal token, when configured, goes as {@code Authorization: Bearer}.
 */
final class BalanceQueries {

    private static final Duration RETRY_INTERVAL = Duration.ofMillis(100);

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;
    private final String internalToken;
    private final JsonMapper json = JsonMapper.builder().build();

    BalanceQueries(URI base, Duration timeout, String internalToken) {
        this.base = base;
        this.timeout = timeout;
        this.internalToken = internalToken;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    CompletableFuture<Balance> balance(String userId) {
        return get("/balances/" + encode(userId), Balance.class, "Balance of " + userId,
                System.nanoTime() + timeout.toNanos());
    }

    /** What became of one of the user's commands ({@code GET {url}/balances/{userId}/commands/{commandId}}). */
    CompletableFuture<CommandOutcome> commandOutcome(String userId, String commandId) {
        return get("/balances/" + encode(userId) + "/commands/" + encode(commandId), CommandOutcome.class,
                "Outcome of command " + commandId, System.nanoTime() + timeout.toNanos());
    }

    private static String encode(String pathSegment) {
        // URLEncoder encodes for forms: a space becomes '+', which a path reads literally.
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private <T> CompletableFuture<T> get(String path, Class<T> type, String what, long deadline) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout).header("Accept", "application/json").GET();
        if (internalToken != null && !internalToken.isBlank()) {
            builder.header("Authorization", "Bearer " + internalToken);
        }
        HttpRequest request = builder.build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error != null) {
                        return CompletableFuture.<T>failedFuture(new MeteringUnavailableException(
                                what + " unavailable: the metering stream at " + base + " cannot be reached", error));
                    }
                    if (response.statusCode() == 200) {
                        return CompletableFuture.completedFuture(json.readValue(response.body(), type));
                    }
                    if (response.statusCode() == 503 && System.nanoTime() + RETRY_INTERVAL.toNanos() < deadline) {
                        return CompletableFuture.supplyAsync(() -> null,
                                        CompletableFuture.delayedExecutor(RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS))
                                .thenCompose(ignored -> get(path, type, what, deadline));
                    }
                    return CompletableFuture.<T>failedFuture(new MeteringUnavailableException(
                            what + " unavailable: the metering stream answered HTTP " + response.statusCode(), null));
                })
                .thenCompose(future -> future);
    }
}
