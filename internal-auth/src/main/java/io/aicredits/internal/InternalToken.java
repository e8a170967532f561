package io.aicredits.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The shared secret internal callers (the gateway, Prometheus, operators) present as
 * {@code Authorization: Bearer <token>} to the apps' internal HTTP endpoints: metering-stream's
 * balance queries and every actuator endpoint except health. Configured once for every app as
 * {@value #PROPERTY} (environment {@value #ENVIRONMENT_VARIABLE}). Without it every such request
 * is refused: nothing internal is open by default.
 */
public final class InternalToken {

    public static final String PROPERTY = "aicredits.internal-token";
    public static final String ENVIRONMENT_VARIABLE = "AICREDITS_INTERNAL_TOKEN";
    public static final int MIN_LENGTH = 32;
    public static final String HEALTH_PATH = "/actuator/health";

    private static final String BEARER = "Bearer ";

    private final byte[] expected;

    private InternalToken(byte[] expected) {
        this.expected = expected;
    }

    /** The configured token; blank or null means none (every protected request is refused). */
    public static InternalToken of(String configured) {
        if (configured == null || configured.isBlank()) {
            return new InternalToken(null);
        }
        if (configured.length() < MIN_LENGTH) {
            throw new IllegalStateException(PROPERTY + " must be at least " + MIN_LENGTH + " characters");
        }
        return new InternalToken(configured.getBytes(StandardCharsets.UTF_8));
    }

    public boolean configured() {
        return expected != null;
    }

    /** Whether an {@code Authorization} header value carries this token (compared in constant time). */
    public boolean accepts(String authorization) {
        if (expected == null || authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, presented);
    }

    /** The {@code Authorization} header value an internal caller sends, or null when no token is configured. */
    public String authorization() {
        return expected == null ? null : BEARER + new String(expected, StandardCharsets.UTF_8);
    }

    /** Health (and its groups such as liveness/readiness) stays open for orchestrators' probes. */
    public static boolean isOpenPath(String path) {
        return HEALTH_PATH.equals(path) || (path != null && path.startsWith(HEALTH_PATH + "/"));
    }

    /** Why a request was refused (no quotes or backslashes, so it can go into JSON as is). */
    public String refusalMessage() {
        return expected == null
                ? "This internal endpoint is closed: " + PROPERTY + " is not configured"
                : "This internal endpoint needs Authorization: Bearer <" + PROPERTY + ">";
    }

    /** The one error body, as the gateway's: {@code {"statusCode":401,"message":…}}. */
    public String refusalBody() {
        return "{\"statusCode\":401,\"message\":\"" + refusalMessage() + "\"}";
    }

    @Override
    public String toString() {
        return "InternalToken[" + (expected == null ? Secrets.mask(null) : Secrets.mask("set")) + "]";
    }
}
