package io.aicredits.internal;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The {@link InternalToken} from {@value InternalToken#PROPERTY}, and in servlet apps the
 * {@link InternalTokenFilter} in front of everything (Boot registers filter beans). Each of our
 * apps imports it on its application class ({@code @Import(InternalAuthConfiguration.class)}); it
 * is no auto-configuration, so a library or test class path that merely holds this module
 * (another service's tests starting metering-stream, say) does not lock that service's own endpoints.
 */
@Configuration(proxyBeanMethods = false)
public class InternalAuthConfiguration {

    @Bean
    @ConditionalOnMissingBean
    InternalToken internalToken(@Value("${" + InternalToken.PROPERTY + ":}") String configured) {
        return InternalToken.of(configured);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(OncePerRequestFilter.class)
    static class Servlet {

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        InternalTokenFilter internalTokenFilter(InternalToken token) {
            return new InternalTokenFilter(token);
        }
    }
}
