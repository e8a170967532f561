package io.aicredits.starter;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.client.Balance;
import io.aicredits.events.UsageStatus;
import io.aicredits.stream.testing.MeteringStreamServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The guard on WebFlux (Netty), handlers returning {@code Mono}; rejections configured as 400, as the gateway's API answers. */
class WebFluxGuardTest extends GuardBehaviourTest {

    @Override
    ConfigurableApplicationContext startApp(MeteringStreamServer server, String... args) {
        return new SpringApplicationBuilder(WebFluxApp.class).web(WebApplicationType.REACTIVE)
                .run(MvcGuardTest.concat(args, "--spring.application.name=starter-webflux-test",
                        "--metering.client.reply-partition=1"));
    }

    @Override
    int rejectionStatus() {
        return 400;
    }

    @Test
    void shouldSettleAFluxHandlerOnceWhenItCompletes() throws Exception {
        String user = newUser("flux");

        HttpResponse<String> response = post("/upscale/tiles", user);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("tile-1", "tile-2", "tile-3");
        assertThat(runs("tiles", user)).isEqualTo(1);
        assertThat(stream.usageOf(user, 1)).singleElement()
                .satisfies(event -> assertThat(event.getStatus()).isEqualTo(UsageStatus.SUCCEEDED));
        Balance.Pool pool = stream.settledPool(user, GENERATION);
        assertThat(pool.used()).isEqualTo(2);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(WebFluxController.class)
    static class WebFluxApp {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        /** The X-User header as the exchange's principal, as Spring Security would set it. */
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        WebFilter principalFromHeader() {
            return (exchange, chain) -> {
                String user = exchange.getRequest().getHeaders().getFirst("X-User");
                return chain.filter(user == null ? exchange
                        : exchange.mutate().principal(Mono.just((Principal) () -> user)).build());
            };
        }
    }

    @RestController
    static class WebFluxController {

        @PostMapping("/upscale")
        @RequireCredits(operation = "upscale")
        Mono<Map<String, Object>> upscale(CreditInfo credit) {
            ran("upscale", credit.userId());
            return Mono.just(MvcGuardTest.view(credit));
        }

        @PostMapping("/upscale/fails")
        @RequireCredits(operation = "upscale")
        Mono<Map<String, Object>> upscaleFails(CreditInfo credit) {
            ran("upscale-fails", credit.userId());
            return Mono.error(new IllegalStateException("upscaler is down"));
        }

        @PostMapping("/upscale/tiles")
        @RequireCredits(operation = "upscale")
        Flux<String> tiles(CreditInfo credit) {
            ran("tiles", credit.userId());
            return Flux.just("tile-1", "tile-2", "tile-3");
        }

        @PostMapping("/basic")
        @RequireCredits(operation = "basic_image", pool = GENERATION)
        Mono<Map<String, Object>> basic(CreditInfo credit) {
            ran("basic", credit.userId());
            return Mono.just(MvcGuardTest.view(credit));
        }

        @PostMapping("/summary")
        @RequireCredits(operation = "ai_summary", credits = 3, model = "gpt-4o")
        Mono<Map<String, Object>> summary(CreditInfo credit) {
            ran("summary", credit.userId());
            credit.reportUsage("gpt-4o", 1200, 300, new BigDecimal("0.0123"));
            return Mono.just(MvcGuardTest.view(credit));
        }
    }
}
