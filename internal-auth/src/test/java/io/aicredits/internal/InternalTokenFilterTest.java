package io.aicredits.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class InternalTokenFilterTest {

    private static final String TOKEN = "internal-token-for-tests-0123456789abcdef";

    private static MockHttpServletResponse call(InternalToken token, String path, String authorization) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setServletPath(path);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        new InternalTokenFilter(token).doFilter(request, response, chain);
        if (chain.getRequest() != null) {
            response.setStatus(299); // reached the app
        }
        return response;
    }

    @Test
    void shouldRefuseInternalEndpointsWithoutTheTokenWithJsonBody() throws Exception {
        MockHttpServletResponse response = call(InternalToken.of(TOKEN), "/actuator/prometheus", null);

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(response.getContentType()).startsWith("application/json");
        assertThat(response.getContentAsString()).contains("\"statusCode\":401").contains("aicredits.internal-token");
    }

    @Test
    void shouldRefuseWrongTokenAndPassTheRightOne() throws Exception {
        InternalToken token = InternalToken.of(TOKEN);

        assertThat(call(token, "/balances/alice", "Bearer " + TOKEN + "x").getStatus()).isEqualTo(401);
        assertThat(call(token, "/balances/alice", TOKEN).getStatus()).isEqualTo(401);
        assertThat(call(token, "/balances/alice", "Bearer " + TOKEN).getStatus()).isEqualTo(299);
        assertThat(call(token, "/actuator/metrics", token.authorization()).getStatus()).isEqualTo(299);
    }

    @Test
    void shouldLeaveHealthOpenButNotLookalikes() throws Exception {
        InternalToken token = InternalToken.of(TOKEN);

        assertThat(call(token, "/actuator/health", null).getStatus()).isEqualTo(299);
        assertThat(call(token, "/actuator/health/readiness", null).getStatus()).isEqualTo(299);
        assertThat(call(token, "/actuator/healthz", null).getStatus()).isEqualTo(401);
        assertThat(call(token, "/actuator", null).getStatus()).isEqualTo(401);
    }

    @Test
    void shouldRefuseEverythingButHealthWhenNoTokenIsConfigured() throws Exception {
        InternalToken none = InternalToken.of("");

        assertThat(call(none, "/balances/alice", "Bearer ").getStatus()).isEqualTo(401);
        assertThat(call(none, "/actuator/prometheus", "Bearer null").getContentAsString()).contains("not configured");
        assertThat(call(none, "/actuator/health", null).getStatus()).isEqualTo(299);
        assertThat(none.authorization()).isNull();
    }

    @Test
    void shouldRefuseShortTokenAtStartAndNeverPrintIt() {
        assertThatThrownBy(() -> InternalToken.of("short")).hasMessageContaining("at least 32");
        assertThat(InternalToken.of(TOKEN).toString()).doesNotContain(TOKEN).contains("<set>");
    }
}
