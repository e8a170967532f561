package io.aicredits.bench;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The load client's own baseline: a bare reactor-netty server on 127.0.0.1 that reads the request
 * body of {@code POST /api/ai/generate-text} and answers a fixed 200 JSON, with no security, no
 * JSON parsing and no metering. Whatever rate the load client reaches against it is the most it
 * can measure on this machine.
 */
final class TrivialEndpoint implements AutoCloseable {

    private static final String ANSWER = "{\"texts\":[\"ok\"],\"credits_remaining\":100}";

    private final DisposableServer server;

    private TrivialEndpoint(DisposableServer server) {
        this.server = server;
    }

    static TrivialEndpoint start() {
        return new TrivialEndpoint(HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.post(GatewayLoadClient.PATH, (request, response) -> request.receive().aggregate()
                        .then(response.header("Content-Type", "application/json").sendString(Mono.just(ANSWER)).then())))
                .bindNow());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
