package io.aicredits.starter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Guards a Spring MVC or WebFlux handler method with a credit decision of the metering stream.
 *
 * <p>Before the method runs, the stream is asked for the credits of {@link #operation()} for the
 * caller (a hold). A short balance answers {@code 403} (see {@code metering.client.guard.rejection-status})
 * with {@code credits_required}, {@code credits_available}, {@code pool} and {@code next_reset},
 * and the method never runs. When the method returns normally (for {@code Mono}/{@code Flux}: when
 * it completes) the hold is settled: to the catalog price, or to the usage the handler reported on
 * its {@link CreditInfo} argument. When it throws (or its publisher errors or is cancelled) the hold
 * is released and nothing is charged.
 *
 * <p>The price comes from the stream's one catalog ({@code credit.prices} overrides included):
 * {@code @RequireCredits(operation = "upscale")} holds what the catalog says {@code upscale} costs.
 *
 * <p>Servlet handlers may return any value or a {@code CompletionStage}; WebFlux handlers must
 * return {@code Mono} or {@code Flux}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RequireCredits {

    /** {@link #credits()} when the catalog alone prices the call. */
    long CATALOG_PRICE = -1;

    /** The catalog operation, e.g. {@code upscale}, {@code image_generation}, {@code ai_summary}. */
    String operation();

    /**
     * The caller's estimate in credits, sent as {@code AiRequest.estimated_credits}. The catalog
     * decides what is held: operations it prices by tokens hold {@code max(minimum, credits)};
     * fixed-price operations hold the catalog price whatever this says (a difference is logged).
     * Default: only the catalog.
     */
    long credits() default CATALOG_PRICE;

    /** The credit pool to charge, e.g. {@code generation_credits}; empty means the catalog's pool of the operation. */
    String pool() default "";

    /** The model the handler calls, recorded with the usage unless the handler reports another. */
    String model() default "";
}
