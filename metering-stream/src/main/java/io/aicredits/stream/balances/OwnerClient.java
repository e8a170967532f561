package io.aicredits.stream.balances;

import io.aicredits.internal.InternalToken;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Asks the instance that owns a user's key (its {@code application.server}) for the balances,
 * with the internal token every instance requires.
 */
@Component
class OwnerClient {

    private static final Logger log = LoggerFactory.getLogger(OwnerClient.class);

    private final RestClient http;

    OwnerClient(InternalToken token) {
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(Duration.ofSeconds(2));
        factory.setReadTimeout(Duration.ofSeconds(5));
        RestClient.Builder builder = RestClient.builder().requestFactory(factory);
        if (token.configured()) {
            builder.defaultHeader(HttpHeaders.AUTHORIZATION, token.authorization());
        }
        this.http = builder.build();
    }

    /** The owner's answer, or null when it could not give one (logged). */
    BalanceView fetch(HostInfo owner, String userId) {
        try {
            return http.get()
                    .uri("http://{host}:{port}/balances/{user}?forwarded=true", owner.host(), owner.port(), userId)
                    .retrieve()
                    .body(BalanceView.class);
        } catch (RestClientException e) {
            log.warn("Forwarding balance query for {} to {} failed", userId, owner, e);
            return null;
        }
    }
}
