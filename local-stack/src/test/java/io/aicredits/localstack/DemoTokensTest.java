package io.aicredits.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTokensTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldSignTokensWithSubjectAndRolesTheGatewayReads() throws Exception {
        DemoTokens tokens = new DemoTokens("0123456789abcdef0123456789abcdef");

        SignedJWT user = SignedJWT.parse(tokens.user("u1"));
        SignedJWT admin = SignedJWT.parse(tokens.superAdmin("boss"));

        assertThat(user.verify(new MACVerifier("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(user.getHeader().getAlgorithm().getName()).isEqualTo("HS256");
        assertThat(user.getJWTClaimsSet().getSubject()).isEqualTo("u1");
        assertThat(user.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("user");
        assertThat(admin.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("super_admin");
        assertThat(user.getJWTClaimsSet().getExpirationTime()).isInTheFuture();
        assertThat(user.verify(new MACVerifier("another-secret-another-secret-xx".getBytes(StandardCharsets.UTF_8)))).isFalse();
    }

    @Test
    void shouldKeepTheGeneratedSecretAcrossStartsUnlessOneIsGiven() {
        DemoTokens first = DemoTokens.forDataDir(dataDir, null);
        DemoTokens second = DemoTokens.forDataDir(dataDir, "");
        DemoTokens given = DemoTokens.forDataDir(dataDir, "given-secret-given-secret-given-secret");

        assertThat(first.secret()).hasSize(64).isEqualTo(second.secret());
        assertThat(given.secret()).isEqualTo("given-secret-given-secret-given-secret");
    }

    @Test
    void shouldRefuseAShortSecret() {
        assertThatThrownBy(() -> new DemoTokens("short")).hasMessageContaining("at least 32 bytes");
    }
}
