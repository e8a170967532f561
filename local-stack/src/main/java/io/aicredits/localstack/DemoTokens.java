package io.aicredits.localstack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * The gateway's local HS256 secret and JWTs signed with it: {@code sub} is the user id and
 * {@code roles} the gateway's roles ({@code user}, {@code super_admin}), as the gateway reads them.
 * For local runs only; production verifies tokens of a real identity provider (JWKS).
 */
public final class DemoTokens {

    public static final String DEMO_USER = "demo-user";
    public static final String DEMO_ADMIN = "demo-admin";
    static final String SECRET_FILE = "jwt-secret";
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final String secret;

    public DemoTokens(String secret) {
        if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("the HS256 secret must be at least 32 bytes");
        }
        this.secret = secret;
    }

    /**
     * The secret from {@code GATEWAY_JWT_SECRET} when given, else the one stored in
     * {@code <dataDir>/jwt-secret}, generated on the first start (so tokens survive restarts).
     */
    static DemoTokens forDataDir(Path dataDir, String fromEnvironment) {
        return new DemoTokens(LocalSecrets.readOrCreate(dataDir, SECRET_FILE, fromEnvironment, "JWT secret"));
    }

    /**
     * Prints demo tokens for the secret in {@code GATEWAY_JWT_SECRET} (e.g. for the docker-compose
     * gateway): {@code java -cp "local-stack/target/local-stack-<version>.jar:local-stack/target/lib/*" io.aicredits.localstack.DemoTokens}.
     */
    public static void main(String[] args) {
        String secret = System.getenv("GATEWAY_JWT_SECRET");
        if (secret == null || secret.isBlank()) {
            System.err.println("Set GATEWAY_JWT_SECRET (the gateway's HS256 secret, at least 32 bytes) first.");
            System.exit(2);
            return;
        }
        DemoTokens tokens = new DemoTokens(secret);
        System.out.println("export TOKEN=" + tokens.user(DEMO_USER));
        System.out.println("export ADMIN_TOKEN=" + tokens.superAdmin(DEMO_ADMIN));
    }

    public String secret() {
        return secret;
    }

    /** A token for {@code userId} with the {@code user} role. */
    public String user(String userId) {
        return token(userId, List.of("user"));
    }

    /** A token for {@code userId} with the {@code super_admin} role. */
    public String superAdmin(String userId) {
        return token(userId, List.of("super_admin"));
    }

    /** An HS256 token, valid for 30 days. */
    public String token(String subject, List<String> roles) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer("local-run")
                .claim("roles", roles)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(VALIDITY)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a demo JWT", e);
        }
        return jwt.serialize();
    }
}
