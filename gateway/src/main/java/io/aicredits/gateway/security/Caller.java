package io.aicredits.gateway.security;

import java.util.Collection;
import java.util.List;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The authenticated caller: the JWT subject is the user id, the {@code roles} claim (a list or a
 * space-separated string) the roles.
 */
public record Caller(String userId, boolean superAdmin) {

    public static final String ROLES_CLAIM = "roles";
    public static final String SUPER_ADMIN = "super_admin";

    public static Caller of(Jwt jwt) {
        Object claim = jwt.getClaims().get(ROLES_CLAIM);
        Collection<?> roles = claim instanceof Collection<?> list ? list
                : claim instanceof String text ? List.of(text.split(" ")) : List.of();
        return new Caller(jwt.getSubject(), roles.stream().anyMatch(SUPER_ADMIN::equals));
    }
}
