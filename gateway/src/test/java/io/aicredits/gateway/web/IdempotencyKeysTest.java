package io.aicredits.gateway.generation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

    @Test
    void shouldKeepUsersApartWhenColonsMoveBetweenUserAndKey() {
        // Given alice's key "x:y" and user "alice:x"'s key "y", which joined with ':' read the same
        String alices = IdempotencyKeys.requestId("alice", "x:y");
        String impostors = IdempotencyKeys.requestId("alice:x", "y");

        // Then their request ids differ
        assertThat(impostors).isNotEqualTo(alices);
        assertThat(alices).isEqualTo("idem:5:alice:x:y");
        assertThat(impostors).isEqualTo("idem:7:alice:x:y");
    }

    @Test
    void shouldGiveTheSameIdForTheSameUserAndKey() {
        assertThat(IdempotencyKeys.requestId("bob", "order-17")).isEqualTo(IdempotencyKeys.requestId("bob", "order-17"));
    }
}
