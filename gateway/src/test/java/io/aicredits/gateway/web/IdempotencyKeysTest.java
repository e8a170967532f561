package io.aicredits.gateway.web;

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
    void shouldKeepCallersUsersAndEndpointsApartInCommandIds() {
        assertThat(IdempotencyKeys.commandId("add", "root", "alice", "x:y")).isEqualTo("admin:add:4:root:5:alice:x:y")
                .isNotEqualTo(IdempotencyKeys.commandId("add", "root", "alice:x", "y"))
                .isNotEqualTo(IdempotencyKeys.commandId("add", "root:5:alice", "", "x:y"))
                .isNotEqualTo(IdempotencyKeys.commandId("add", "admin-2", "alice", "x:y"))
                .isNotEqualTo(IdempotencyKeys.commandId("deduct", "root", "alice", "x:y"));
    }

    @Test
    void shouldRefuseKeysOutsideTheAllowedCharacters() {
        assertThat(IdempotencyKeys.requireValid("order-17.a_b:c")).isEqualTo("order-17.a_b:c");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IdempotencyKeys.requireValid("two words"))
                .isInstanceOf(ApiException.class).hasMessageContaining("Idempotency-Key must be 1-128 characters");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IdempotencyKeys.requireValid("k".repeat(129)))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void shouldGiveTheSameIdForTheSameUserAndKey() {
        assertThat(IdempotencyKeys.requestId("bob", "order-17")).isEqualTo(IdempotencyKeys.requestId("bob", "order-17"));
    }
}
