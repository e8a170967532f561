package io.aicredits.gateway.credits;

import io.aicredits.client.Balance;
import io.aicredits.client.CommandOutcome;
import io.aicredits.client.Prices;
import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.web.ApiException;
import io.aicredits.internal.InternalToken;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Reads balances ({@code GET {stream-url}/balances/{userId}}), credit commands' outcomes
 * ({@code GET {stream-url}/balances/{userId}/commands/{commandId}}) and the prices in force
 * ({@code GET {stream-url}/prices}) from the metering stream's query API, sending the internal
 * token the stream requires.
 */
@Component
class BalanceClient {

    private final WebClient http;
    private final Duration timeout;

    BalanceClient(WebClient.Builder builder, GatewayProperties properties, InternalToken token) {
        WebClient.Builder stream = builder.clone().baseUrl(properties.metering().streamUrl());
        if (token.configured()) {
            stream.defaultHeader(HttpHeaders.AUTHORIZATION, token.authorization());
        }
        this.http = stream.build();
        this.timeout = properties.metering().queryTimeout();
    }

    Mono<Balance> balance(String userId) {
        return query(http.get().uri("/balances/{userId}", userId).retrieve().bodyToMono(Balance.class), "Credit balances");
    }

    /** What became of one of the user's credit commands: applied, refused (with the stream's reason) or not known yet. */
    Mono<CommandOutcome> commandOutcome(String userId, String commandId) {
        return query(http.get().uri("/balances/{userId}/commands/{commandId}", userId, commandId).retrieve()
                .bodyToMono(CommandOutcome.class), "Credit command outcomes");
    }

    /** The prices the stream charges now: its catalog with the {@code credit.prices} overrides. */
    Mono<Prices> prices() {
        return query(http.get().uri("/prices").retrieve().bodyToMono(Prices.class), "Credit prices");
    }

    private <T> Mono<T> query(Mono<T> answer, String what) {
        return answer
                // 503 while the stream restores its stores: retry briefly within the timeout.
                .retryWhen(Retry.backoff(5, Duration.ofMillis(100))
                        .filter(e -> e instanceof WebClientResponseException.ServiceUnavailable)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .timeout(timeout)
                .onErrorMap(e -> !(e instanceof ApiException), e -> unavailable(what, e));
    }

    private static ApiException unavailable(String what, Throwable e) {
        String why = e instanceof TimeoutException ? "did not answer in time"
                : e instanceof WebClientRequestException ? "cannot be reached"
                : e instanceof WebClientResponseException response ? "answered HTTP " + response.getStatusCode().value()
                : "failed: " + e.getMessage();
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, what + " are unavailable: the metering stream " + why, e);
    }
}
