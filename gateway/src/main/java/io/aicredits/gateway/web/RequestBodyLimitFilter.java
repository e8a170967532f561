package io.aicredits.gateway.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Caps every request body at its endpoint's {@link RequestLimits} before anything reads it
 * (authentication and credit decisions included): a declared {@code Content-Length} over the limit
 * is answered 413 at once; a body that grows past it while streaming fails with 413.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestBodyLimitFilter implements WebFilter {

    private final long defaultLimit;
    private final List<Map.Entry<PathPattern, Long>> limits;

    RequestBodyLimitFilter(RequestLimits properties) {
        this.defaultLimit = properties.body().toBytes();
        this.limits = properties.bodies().entrySet().stream()
                .map(entry -> Map.entry(PathPatternParser.defaultInstance.parse(entry.getKey()), entry.getValue().toBytes()))
                .toList();
    }

    long limitFor(ServerHttpRequest request) {
        return limits.stream().filter(entry -> entry.getKey().matches(request.getPath().pathWithinApplication()))
                .map(Map.Entry::getValue).findFirst().orElse(defaultLimit);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        long limit = limitFor(request);
        String message = "Request body is larger than " + limit + " bytes, the limit of " + request.getPath().value();
        if (request.getHeaders().getContentLength() > limit) {
            return ErrorBody.write(exchange.getResponse(), HttpStatus.CONTENT_TOO_LARGE, message);
        }
        ServerHttpRequest limited = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong read = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    if (read.addAndGet(buffer.readableByteCount()) > limit) {
                        DataBufferUtils.release(buffer);
                        sink.error(new ApiException(HttpStatus.CONTENT_TOO_LARGE, message));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(limited).build());
    }
}
