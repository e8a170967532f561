package io.aicredits.starter;

import java.util.List;
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
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** {@link RequireCredits} and {@link CreditInfo} for Spring MVC. */
@AutoConfiguration(after = MeteringClientAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(CreditGuard.class)
@ConditionalOnBooleanProperty(name = "metering.client.guard.enabled", matchIfMissing = true)
@Import(CreditGuardProxying.class)
public class CreditGuardWebMvcAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CreditUserResolver creditUserResolver() {
        return ServletCreditGuardInterceptor::principalName;
    }

    /** Static and lazy: advisors are created early, before the beans they will call are ready. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor creditGuardAdvisor(ObjectProvider<CreditGuard> guard, ObjectProvider<CreditUserResolver> users) {
        return new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, RequireCredits.class, true),
                new ServletCreditGuardInterceptor(SingletonSupplier.of(guard::getObject), SingletonSupplier.of(users::getObject)));
    }

    @Bean
    WebMvcConfigurer creditInfoArgumentResolverConfigurer() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CreditInfoArgumentResolvers.Servlet());
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
