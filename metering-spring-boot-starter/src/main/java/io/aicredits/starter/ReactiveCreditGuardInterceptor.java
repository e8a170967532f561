package io.aicredits.starter;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@link RequireCredits} on WebFlux handler methods returning {@code Mono} or {@code Flux}: the
 * returned publisher first asks for the decision (no thread waits), then calls the method, and
 * settles when its publisher completes, releases when it errors or is cancelled. The exchange
 * (for the user) comes from the Reactor context, put there by {@link ServerWebExchangeContextFilter}.
 */
final class ReactiveCreditGuardInterceptor implements MethodInterceptor {

    private final Supplier<CreditGuard> guard;
    private final Supplier<ReactiveCreditUserResolver> users;

    ReactiveCreditGuardInterceptor(Supplier<CreditGuard> guard, Supplier<ReactiveCreditUserResolver> users) {
        this.guard = guard;
        this.users = users;
    }

    private record Held(CreditGuard.Call call, CreditInfo info) {
    }

    @Override
    public Object invoke(MethodInvocation invocation) {
        RequireCredits rule = GuardedMethods.rule(invocation);
        Method method = invocation.getMethod();
        Class<?> type = method.getReturnType();
        boolean many = Flux.class.isAssignableFrom(type);
        if (!many && !Mono.class.isAssignableFrom(type)) {
            throw new IllegalStateException("@RequireCredits on a WebFlux handler needs a Mono or Flux return type: " + method);
        }
        CreditGuard credits = guard.get();
        Mono<Held> held = Mono.deferContextual(context -> ServerWebExchangeContextFilter.getExchange(context)
                        .map(Mono::just)
                        .orElseGet(() -> Mono.error(new IllegalStateException(
                                "@RequireCredits guards web handler methods; " + method + " was called outside a request"))))
                .flatMap(exchange -> users.get().resolveUser(exchange))
                .filter(user -> !user.isBlank())
                .switchIfEmpty(Mono.error(CreditUserMissingException::new))
                .flatMap(user -> Mono.defer(() -> {
                    CreditGuard.Call call = credits.call(rule, method, user);
                    CompletableFuture<CreditInfo> decision = credits.hold(call);
                    return Mono.fromFuture(decision, true)
                            // The caller went away while the stream decided: give an approved hold back now.
                            .doOnCancel(() -> decision.thenAccept(info -> credits.release(call, info, null)))
                            .onErrorMap(GuardedMethods::unwrap)
                            .map(info -> new Held(call, info));
                }))
                // Leave the metering client's reply thread at once: it must keep reading decisions.
                .publishOn(Schedulers.parallel());
        if (many) {
            return held.flatMapMany(h -> Flux.usingWhen(Mono.just(h),
                    x -> Flux.from(proceed(invocation, x)),
                    x -> Mono.fromFuture(() -> credits.settle(x.call(), x.info())),
                    (x, error) -> Mono.fromFuture(() -> credits.release(x.call(), x.info(), error)),
                    x -> Mono.fromFuture(() -> credits.release(x.call(), x.info(), null))))
                    .publishOn(Schedulers.parallel());
        }
        return held.flatMap(h -> Mono.usingWhen(Mono.just(h),
                        x -> Mono.from(proceed(invocation, x)),
                        x -> Mono.fromFuture(() -> credits.settle(x.call(), x.info())),
                        (x, error) -> Mono.fromFuture(() -> credits.release(x.call(), x.info(), error)),
                        x -> Mono.fromFuture(() -> credits.release(x.call(), x.info(), null))))
                // Leave the producer's thread that acknowledged the usage.
                .publishOn(Schedulers.parallel());
    }

    private static Publisher<?> proceed(MethodInvocation invocation, Held held) {
        GuardedMethods.bind(invocation, held.info());
        try {
            Object result = invocation.proceed();
            return result == null ? Mono.error(new IllegalStateException(invocation.getMethod() + " returned null"))
                    : (Publisher<?>) result;
        } catch (Throwable failure) {
            return Mono.error(failure);
        }
    }
}
