package io.aicredits.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aicredits.client.Balance;
import io.aicredits.stream.testing.MeteringStreamServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.math.BigDecimal;
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/** The guard on Spring MVC (Tomcat), and {@link CreditService}; rejections configured as the default 403. */
class MvcGuardTest extends GuardBehaviourTest {

    @Override
    ConfigurableApplicationContext startApp(MeteringStreamServer server, String... args) {
        return new SpringApplicationBuilder(MvcApp.class).web(WebApplicationType.SERVLET)
                .run(concat(args, "--spring.application.name=starter-mvc-test", "--metering.client.reply-partition=0"));
    }

    @Override
    int rejectionStatus() {
        return 403;
    }

    static String[] concat(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void shouldApplyAddAndDeductOnceForARepeatedIdempotencyKey() {
        CreditService credits = app.getBean(CreditService.class);
        String user = newUser("service");

        assertThat(credits.getCreditBalance(user).join().balance(GENERATION)).isEqualTo(10);
        assertThat(credits.addCredits(user, 5, GENERATION, "grant-1").join().balance(GENERATION)).isEqualTo(15);
        assertThat(credits.addCredits(user, 5, GENERATION, "grant-1").join().balance(GENERATION)).isEqualTo(15);
        assertThat(credits.deductCredits(user, 3, GENERATION, "spend-1").join().balance(GENERATION)).isEqualTo(12);
        assertThat(credits.deductCredits(user, 3, GENERATION, "spend-1").join().balance(GENERATION)).isEqualTo(12);

        assertThat(credits.getCreditBalance(user).join().pool(GENERATION).balance()).isEqualTo(12);
        assertThatThrownBy(() -> credits.deductCredits(user, 13, GENERATION, "spend-2").join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(CreditCommandException.class)
                .hasMessageContaining("below zero")
                .extracting(e -> ((CreditCommandException) e).reason()).isEqualTo("INSUFFICIENT_CREDITS");
    }

    @Test
    void shouldAnswerTwoChangesSentTogetherAndKeepARefusedKeyRefused() {
        CreditService credits = app.getBean(CreditService.class);
        String user = newUser("together");

        // Given two different changes for one user sent at the same time
        var add = credits.addCredits(user, 5, GENERATION, "together-add");
        var deduct = credits.deductCredits(user, 2, GENERATION, "together-deduct");

        // Then both complete with the balance, neither waits out the apply timeout
        assertThat(add.join().balance(GENERATION)).isBetween(13L, 15L);
        assertThat(deduct.join().balance(GENERATION)).isBetween(8L, 13L);
        assertThat(credits.getCreditBalance(user).join().balance(GENERATION)).isEqualTo(13);

        // When a deduction is refused, credits arrive, and the same key is retried
        assertThatThrownBy(() -> credits.deductCredits(user, 20, GENERATION, "big-spend").join())
                .cause().isInstanceOf(CreditCommandException.class);
        credits.addCredits(user, 10, GENERATION, "more").join();

        // Then the retry answers the same refusal: a key's outcome is final for the dedup window
        assertThatThrownBy(() -> credits.deductCredits(user, 20, GENERATION, "big-spend").join())
                .cause().isInstanceOf(CreditCommandException.class).hasMessageContaining("below zero");
        assertThat(credits.getCreditBalance(user).join().balance(GENERATION)).isEqualTo(23);
    }

    @Test
    void shouldSettleACompletionStageWhenItCompletesAndReleaseItWhenItFails() throws Exception {
        String user = newUser("stage");

        assertThat(post("/async", user).statusCode()).isEqualTo(200);
        assertThat(post("/async/fails", user).statusCode()).isEqualTo(500);

        assertThat(stream.usageOf(user, 2)).extracting(event -> event.getStatus())
                .containsExactlyInAnyOrder(io.aicredits.events.UsageStatus.SUCCEEDED, io.aicredits.events.UsageStatus.FAILED);
        Balance.Pool pool = stream.settledPool(user, GENERATION);
        assertThat(pool.used()).isEqualTo(2);
        assertThat(pool.balance()).isEqualTo(8);
    }

    @Test
    void shouldRefuseAResultTypeItCannotSeeEndBeforeHoldingAnything() throws Exception {
        String user = newUser("deferred");

        assertThat(post("/deferred", user).statusCode()).isEqualTo(500);

        assertThat(runs("deferred", user)).isZero();
        assertThat(stream.balance(user).pool(GENERATION).held()).isZero();
        assertThat(stream.balance(user).balance(GENERATION)).isEqualTo(10);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(MvcController.class)
    static class MvcApp {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        /** The X-User header as the request's principal, as Spring Security would set it. */
        @Bean
        Filter principalFromHeader() {
            return (request, response, chain) -> {
                String user = ((HttpServletRequest) request).getHeader("X-User");
                chain.doFilter(user == null ? request : new HttpServletRequestWrapper((HttpServletRequest) request) {
                    @Override
                    public Principal getUserPrincipal() {
                        return () -> user;
                    }
                }, response);
            };
        }
    }

    @RestController
    static class MvcController {

        @PostMapping("/upscale")
        @RequireCredits(operation = "upscale")
        Map<String, Object> upscale(CreditInfo credit) {
            ran("upscale", credit.userId());
            return view(credit);
        }

        @PostMapping("/upscale/fails")
        @RequireCredits(operation = "upscale")
        Map<String, Object> upscaleFails(CreditInfo credit) {
            ran("upscale-fails", credit.userId());
            throw new IllegalStateException("upscaler is down");
        }

        @PostMapping("/basic")
        @RequireCredits(operation = "basic_image", pool = GENERATION)
        Map<String, Object> basic(CreditInfo credit) {
            ran("basic", credit.userId());
            return view(credit);
        }

        @PostMapping("/async")
        @RequireCredits(operation = "upscale")
        CompletableFuture<Map<String, Object>> async(CreditInfo credit) {
            return CompletableFuture.supplyAsync(() -> view(credit));
        }

        @PostMapping("/async/fails")
        @RequireCredits(operation = "upscale")
        CompletableFuture<Map<String, Object>> asyncFails(CreditInfo credit) {
            return CompletableFuture.supplyAsync(() -> {
                throw new IllegalStateException("upscaler is down");
            });
        }

        @PostMapping("/deferred")
        @RequireCredits(operation = "upscale")
        DeferredResult<String> deferred(CreditInfo credit) {
            ran("deferred", credit.userId());
            DeferredResult<String> result = new DeferredResult<>();
            result.setResult("upscaled later");
            return result;
        }

        @PostMapping("/summary")
        @RequireCredits(operation = "ai_summary", credits = 3, model = "gpt-4o")
        Map<String, Object> summary(CreditInfo credit) {
            ran("summary", credit.userId());
            credit.reportUsage("gpt-4o", 1200, 300, new BigDecimal("0.0123"));
            return view(credit);
        }
    }

    static Map<String, Object> view(CreditInfo credit) {
        return Map.of("request_id", credit.requestId(), "pool", credit.pool(),
                "credits_held", credit.creditsHeld(), "balance_after", credit.balanceAfter());
    }
}
