package io.aicredits.starter;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@link CreditInfo} handler-method parameters. The resolvers only claim the parameter (so neither
 * stack binds it from the request) and leave it null; the guard's interceptor, which runs after
 * argument resolution and before the method body, puts the hold in.
 */
final class CreditInfoArgumentResolvers {

    private CreditInfoArgumentResolvers() {
    }

    static final class Servlet implements org.springframework.web.method.support.HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == CreditInfo.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                      NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
            GuardedMethods.requireGuarded(parameter.getMethod());
            return null;
        }
    }

    static final class Reactive implements org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == CreditInfo.class;
        }

        @Override
        public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext, ServerWebExchange exchange) {
            GuardedMethods.requireGuarded(parameter.getMethod());
            return Mono.empty();
        }
    }
}
