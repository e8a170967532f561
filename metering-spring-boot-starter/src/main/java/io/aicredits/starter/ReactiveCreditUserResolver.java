package io.aicredits.starter;

import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Who pays for a guarded WebFlux request. The default is the exchange's principal name
 * ({@code ServerWebExchange.getPrincipal()}: with Spring Security, the authentication's name,
 * e.g. a JWT's {@code sub}). Declare a bean of this type to use something else.
 */
@FunctionalInterface
public interface ReactiveCreditUserResolver {

    /** The user id to charge; empty when the request has none (answered 401). */
    Mono<String> resolveUser(ServerWebExchange exchange);
}
