package io.aicredits.starter;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.client.CreditCommands;
import io.aicredits.client.MeteringClient;
import io.aicredits.client.MeteringClientConfig;
import io.aicredits.infra.FreePorts;
import io.aicredits.stream.testing.MeteringStreamServer;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** What the auto-configuration creates, when it backs off, and how {@code metering.client.*} binds (real broker). */
@ExtendWith(SharedMeteringStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeteringAutoConfigurationTest {

    private static final AutoConfigurations STARTER = AutoConfigurations.of(MeteringClientAutoConfiguration.class,
            CreditGuardWebMvcAutoConfiguration.class, CreditGuardWebFluxAutoConfiguration.class,
            MeteringHealthAutoConfiguration.class);

    private MeteringStreamServer server;

    @BeforeAll
    void shared(MeteringStreamServer shared) {
        this.server = shared;
    }

    private ApplicationContextRunner plain() {
        return new ApplicationContextRunner().withConfiguration(STARTER).withPropertyValues(connection());
    }

    private String[] connection() {
        return new String[] {
                "metering.client.bootstrap-servers=" + server.bootstrapServers(),
                "metering.client.stream.url=" + server.url()};
    }

    @Test
    void shouldCreateTheClientTheCreditServiceAndAHealthyIndicatorFromTheProperties() {
        plain().withPropertyValues("metering.client.instance-id=reports-1", "metering.client.reply-partition=2",
                        "metering.client.decision-timeout=3s", "metering.client.topics.usage=tenant-a.ai.usage",
                        "metering.client.kafka.client.dns.lookup=use_all_dns_ips")
                .run(context -> {
                    assertThat(context).hasSingleBean(MeteringClient.class).hasSingleBean(CreditService.class)
                            .hasSingleBean(CreditCommands.class).hasBean("meteringHealthIndicator");
                    MeteringClientConfig config = context.getBean(MeteringClientConfig.class);
                    assertThat(config.instanceId()).isEqualTo("reports-1");
                    assertThat(config.decisionTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(config.usage().name()).isEqualTo("tenant-a.ai.usage");
                    assertThat(config.requests().name()).isEqualTo("ai.requests");
                    assertThat(config.kafkaOverrides()).containsEntry("client.dns.lookup", "use_all_dns_ips");
                    assertThat(context.getBean(MeteringClient.class).replyPartition()).isEqualTo(2);
                    assertThat(context.getBean("meteringHealthIndicator", HealthIndicator.class).health().getStatus())
                            .isEqualTo(Status.UP);
                    // No web application: no guard pieces.
                    assertThat(context).doesNotHaveBean(CreditUserResolver.class).doesNotHaveBean(ReactiveCreditUserResolver.class);
                });
    }

    @Test
    void shouldReportDownWhenTheStreamDoesNotAnswer() {
        plain().withPropertyValues("metering.client.stream.url=http://127.0.0.1:" + FreePorts.next(),
                        "metering.client.stream.query-timeout=1s")
                .run(context -> assertThat(context.getBean("meteringHealthIndicator", HealthIndicator.class).health().getStatus())
                        .isEqualTo(Status.DOWN));
    }

    @Test
    void shouldFailTheHoldAsUnavailableWhenNoDecisionArrivesInTime() {
        String unheard = "starter.unheard.requests";
        server.broker().createTopic(io.aicredits.schemas.Topics.AI_REQUESTS.withName(unheard), 1);
        plain().withPropertyValues("metering.client.topics.requests=" + unheard, "metering.client.decision-timeout=500ms")
                .run(context -> {
                    CreditGuard guard = context.getBean(CreditGuard.class);
                    RequireCredits rule = MvcGuardTest.MvcController.class.getDeclaredMethod("upscale", CreditInfo.class)
                            .getAnnotation(RequireCredits.class);
                    CreditGuard.Call call = guard.call(rule, MvcGuardTest.MvcController.class.getDeclaredMethod("upscale",
                            CreditInfo.class), "nobody-decides");
                    assertThat(guard.hold(call)).failsWithin(Duration.ofSeconds(5))
                            .withThrowableThat().havingCause().isInstanceOf(CreditCheckUnavailableException.class)
                            .satisfies(e -> assertThat(((CreditGuardException) e).status()).isEqualTo(503));
                });
    }

    @Test
    void shouldCreateNothingWhenDisabled() {
        plain().withPropertyValues("metering.client.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(MeteringClient.class).doesNotHaveBean(CreditService.class)
                        .doesNotHaveBean(CreditGuard.class).doesNotHaveBean("meteringHealthIndicator"));
    }

    @Test
    void shouldBackOffForTheApplicationsOwnClient() {
        plain().withBean("myClient", MeteringClient.class,
                        () -> MeteringClient.start(MeteringClientConfig.builder(server.bootstrapServers()).instanceId("mine").build()))
                .run(context -> {
                    assertThat(context).hasSingleBean(MeteringClient.class).hasBean("myClient");
                    assertThat(context).hasSingleBean(CreditGuard.class);
                });
    }

    @Test
    void shouldRefuseARejectionStatusThatIsNotAnError() {
        plain().withPropertyValues("metering.client.guard.rejection-status=200")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void shouldGuardMvcHandlersWithThePrincipalResolverUnlessTheApplicationHasItsOwn() {
        new WebApplicationContextRunner().withConfiguration(STARTER).withPropertyValues(connection())
                .withBean(MvcGuardTest.MvcController.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(CreditUserResolver.class).doesNotHaveBean(ReactiveCreditUserResolver.class)
                            .hasSingleBean(CreditGuardExceptionHandler.class).hasBean("creditGuardAdvisor")
                            .hasSingleBean(WebMvcConfigurer.class);
                    // Proxied by the starter's own auto-proxy registration (no AopAutoConfiguration here).
                    assertThat(AopUtils.isCglibProxy(context.getBean(MvcGuardTest.MvcController.class))).isTrue();
                });
        CreditUserResolver header = request -> request.getHeader("X-Customer");
        new WebApplicationContextRunner().withConfiguration(STARTER).withPropertyValues(connection())
                .withBean(CreditUserResolver.class, () -> header)
                .run(context -> assertThat(context.getBean(CreditUserResolver.class)).isSameAs(header));
    }

    @Test
    void shouldGuardWebFluxHandlersWithTheExchangeInTheReactorContext() {
        new ReactiveWebApplicationContextRunner().withConfiguration(STARTER).withPropertyValues(connection())
                .withBean(WebFluxGuardTest.WebFluxController.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(ReactiveCreditUserResolver.class).doesNotHaveBean(CreditUserResolver.class)
                            .hasSingleBean(ServerWebExchangeContextFilter.class).hasBean("reactiveCreditGuardAdvisor");
                    assertThat(AopUtils.isCglibProxy(context.getBean(WebFluxGuardTest.WebFluxController.class))).isTrue();
                });
    }

    @Test
    void shouldLeaveHandlersUnproxiedWhenTheGuardIsOff() {
        new WebApplicationContextRunner().withConfiguration(STARTER).withPropertyValues(connection())
                .withPropertyValues("metering.client.guard.enabled=false")
                .withBean(MvcGuardTest.MvcController.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(CreditService.class).doesNotHaveBean("creditGuardAdvisor");
                    assertThat(AopUtils.isAopProxy(context.getBean(MvcGuardTest.MvcController.class))).isFalse();
                });
    }
}
