package io.aicredits.starter;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Makes sure an auto-proxy creator applies the guard's advisor to controllers (class proxies), also
 * when {@code spring.aop.auto=false}: a guard that silently does not apply would give calls away.
 * Registers the same infrastructure creator that {@code @EnableTransactionManagement} does, or keeps
 * a more capable one already present.
 */
class CreditGuardProxying implements ImportBeanDefinitionRegistrar {

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
    }
}
