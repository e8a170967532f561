package io.aicredits.starter;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who pays for a guarded Spring MVC request. The default is the request's principal name
 * ({@code HttpServletRequest.getUserPrincipal()}: with Spring Security, the authentication's
 * name, e.g. a JWT's {@code sub}). Declare a bean of this type to use something else.
 */
@FunctionalInterface
public interface CreditUserResolver {

    /** The user id to charge, or null when the request has none (answered 401). */
    String resolveUser(HttpServletRequest request);
}
