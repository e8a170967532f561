package io.aicredits.starter;

import java.security.Principal;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

/** {@link RequireCredits} and {@link CreditInfo} for WebFlux. */
@AutoConfiguration(after = MeteringClientAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(DispatcherHandler.class)
@ConditionalOnBean(CreditGuard.class)
@ConditionalOnBooleanProperty(name = "metering.client.guard.enabled", matchIfMissing = true)
@Import(CreditGuardProxying.class)
public class CreditGuardWebFluxAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ReactiveCreditUserResolver reactiveCreditUserResolver() {
        return exchange -> exchange.getPrincipal().map(Principal::getName);
    }

    /**
     * Puts the exchange into the Reactor context, where the guard finds the user. Unordered (last),
     * so it sees the exchange as Spring Security's filters left it, principal included.
     */
    @Bean
    @ConditionalOnMissingBean
    ServerWebExchangeContextFilter serverWebExchangeContextFilter() {
        return new ServerWebExchangeContextFilter();
    }

    /** Static and lazy: advisors are created early, before the beans they will call are ready. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor reactiveCreditGuardAdvisor(ObjectProvider<CreditGuard> guard, ObjectProvider<ReactiveCreditUserResolver> users) {
        return new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, RequireCredits.class, true),
                new ReactiveCreditGuardInterceptor(SingletonSupplier.of(guard::getObject), SingletonSupplier.of(users::getObject)));
    }

    @Bean
    WebFluxConfigurer creditInfoArgumentResolverConfigurer() {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new CreditInfoArgumentResolvers.Reactive());
            }
        };
    }

    /** Replaced by a bean of this name, e.g. an advice answering {@link CreditGuardException} in the application's own format. */
    @Bean
    @ConditionalOnMissingBean(name = "creditGuardExceptionHandler")
    CreditGuardExceptionHandler creditGuardExceptionHandler() {
        return new CreditGuardExceptionHandler();
    }
}
