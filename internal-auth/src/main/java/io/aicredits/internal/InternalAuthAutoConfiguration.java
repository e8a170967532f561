package io.aicredits.internal;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The {@link InternalToken} from {@value InternalToken#PROPERTY} for every app, and in servlet
 * apps the {@link InternalTokenFilter} in front of everything (Boot registers filter beans).
 */
@AutoConfiguration
public class InternalAuthAutoConfiguration {

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
