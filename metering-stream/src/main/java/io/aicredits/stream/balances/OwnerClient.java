package io.aicredits.stream.balances;

import io.aicredits.internal.InternalToken;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Asks the instance that owns a user's key (its {@code application.server}) for the balances or a command's outcome,
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

    /**
     * The owner's answer to {@code path} (a query of this app, asked with {@code forwarded=true} so
     * it is not forwarded again), or null when it could not give one (logged).
     */
    <T> T fetch(String host, int port, String path, Class<T> type, Object... pathVariables) {
        try {
            return http.get()
                    .uri(UriComponentsBuilder.newInstance().scheme("http").host(host).port(port).path(path)
                            .queryParam("forwarded", true).build(pathVariables))
                    .retrieve()
                    .body(type);
        } catch (RestClientException e) {
            log.warn("Forwarding query {} {} to {}:{} failed", path, java.util.Arrays.toString(pathVariables), host, port, e);
            return null;
        }
    }
}
