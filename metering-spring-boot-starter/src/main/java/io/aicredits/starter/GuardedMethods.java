package io.aicredits.starter;

import java.lang.reflect.Method;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;

/** What the MVC and WebFlux interceptors read from a guarded invocation. */
final class GuardedMethods {

    private GuardedMethods() {
    }

    static RequireCredits rule(MethodInvocation invocation) {
        Method method = invocation.getMethod();
        Object target = invocation.getThis();
        Method specific = target == null ? method : AopUtils.getMostSpecificMethod(method, AopUtils.getTargetClass(target));
        RequireCredits rule = AnnotatedElementUtils.findMergedAnnotation(specific, RequireCredits.class);
        if (rule == null) {
            rule = AnnotatedElementUtils.findMergedAnnotation(method, RequireCredits.class);
        }
        if (rule == null) {
            throw new IllegalStateException("No @RequireCredits on " + method);
        }
        return rule;
    }

    /** Puts the hold into every {@link CreditInfo} parameter (their resolvers leave them null). */
    static void bind(MethodInvocation invocation, CreditInfo info) {
        Class<?>[] types = invocation.getMethod().getParameterTypes();
        Object[] arguments = invocation.getArguments();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == CreditInfo.class) {
                arguments[i] = info;
            }
        }
    }

    static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof java.util.concurrent.CompletionException
                || current instanceof java.util.concurrent.ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    static void requireGuarded(Method method) {
        if (!AnnotatedElementUtils.hasAnnotation(method, RequireCredits.class)) {
            throw new IllegalStateException("A CreditInfo parameter needs @RequireCredits on " + method);
        }
    }
}
