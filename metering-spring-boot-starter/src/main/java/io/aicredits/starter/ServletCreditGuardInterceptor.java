package io.aicredits.starter;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * {@link RequireCredits} on Spring MVC handler methods: the decision before the method runs (on the
 * request thread, bounded by the decision timeout), then settle when it returns, release when it
 * throws. A {@code CompletionStage} result settles or releases when it completes.
 */
final class ServletCreditGuardInterceptor implements MethodInterceptor {

    /** Results whose work happens after the method returned, which this interceptor cannot see end. */
    private static final List<String> UNSUPPORTED_RESULTS = List.of("java.util.concurrent.Callable",
            "org.springframework.web.context.request.async.DeferredResult",
            "org.springframework.web.context.request.async.WebAsyncTask",
            "org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter",
            "org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody",
            "org.reactivestreams.Publisher");

    private final Supplier<CreditGuard> guard;
    private final Supplier<CreditUserResolver> users;
    private final Map<Method, Boolean> supportedResults = new ConcurrentHashMap<>();

    ServletCreditGuardInterceptor(Supplier<CreditGuard> guard, Supplier<CreditUserResolver> users) {
        this.guard = guard;
        this.users = users;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        RequireCredits rule = GuardedMethods.rule(invocation);
        requireSupportedResult(invocation.getMethod());
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (!(attributes instanceof ServletRequestAttributes servlet)) {
            throw new IllegalStateException("@RequireCredits guards web handler methods; " + invocation.getMethod()
                    + " was called outside a request");
        }
        String user = users.get().resolveUser(servlet.getRequest());
        if (user == null || user.isBlank()) {
            throw new CreditUserMissingException();
        }
        CreditGuard credits = guard.get();
        CreditGuard.Call call = credits.call(rule, invocation.getMethod(), user);
        CreditInfo info;
        try {
            info = credits.hold(call).join();
        } catch (RuntimeException e) {
            throw GuardedMethods.unwrap(e);
        }
        GuardedMethods.bind(invocation, info);
        Object result;
        try {
            result = invocation.proceed();
        } catch (Throwable failure) {
            credits.release(call, info, failure).join();
            throw failure;
        }
        if (result instanceof CompletionStage<?> stage) {
            CompletableFuture<Object> answered = new CompletableFuture<>();
            stage.whenComplete((value, error) -> {
                CompletableFuture<Void> reported = error == null ? credits.settle(call, info)
                        : credits.release(call, info, GuardedMethods.unwrap(error));
                reported.whenComplete((ignored, never) -> {
                    if (error == null) {
                        answered.complete(value);
                    } else {
                        answered.completeExceptionally(error);
                    }
                });
            });
            return answered;
        }
        credits.settle(call, info).join();
        return result;
    }

    private void requireSupportedResult(Method method) {
        if (!supportedResults.computeIfAbsent(method, ServletCreditGuardInterceptor::supportsResult)) {
            throw new IllegalStateException("@RequireCredits on a Spring MVC handler supports plain results and "
                    + "CompletionStage, not " + method.getReturnType().getSimpleName() + ": " + method);
        }
    }

    private static boolean supportsResult(Method method) {
        ClassLoader loader = method.getDeclaringClass().getClassLoader();
        return UNSUPPORTED_RESULTS.stream().noneMatch(name -> ClassUtils.isPresent(name, loader)
                && ClassUtils.resolveClassName(name, loader).isAssignableFrom(method.getReturnType()));
    }

    static String principalName(HttpServletRequest request) {
        return request.getUserPrincipal() == null ? null : request.getUserPrincipal().getName();
    }
}
