package io.aicredits.gateway.credits;

import io.aicredits.client.Balance;
import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.web.ApiException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** Reads balances from the metering stream's interactive queries ({@code GET {stream-url}/balances/{userId}}). */
@Component
class BalanceClient {

    private final WebClient http;
    private final Duration timeout;

    BalanceClient(WebClient.Builder builder, GatewayProperties properties) {
        this.http = builder.clone().baseUrl(properties.metering().streamUrl()).build();
        this.timeout = properties.metering().queryTimeout();
    }

    Mono<Balance> balance(String userId) {
        return http.get().uri("/balances/{userId}", userId)
                .retrieve()
                .bodyToMono(Balance.class)
                // 503 while the stream restores its stores: retry briefly within the timeout.
                .retryWhen(Retry.backoff(5, Duration.ofMillis(100))
                        .filter(e -> e instanceof WebClientResponseException.ServiceUnavailable)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .timeout(timeout)
                .onErrorMap(e -> !(e instanceof ApiException), e -> unavailable(userId, e));
    }

    private static ApiException unavailable(String userId, Throwable e) {
        String why = e instanceof TimeoutException ? "did not answer in time"
                : e instanceof WebClientRequestException ? "cannot be reached"
                : e instanceof WebClientResponseException response ? "answered HTTP " + response.getStatusCode().value()
                : "failed: " + e.getMessage();
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Credit balances are unavailable: the metering stream " + why, e);
    }
}
