package io.aicredits.gateway.generation;

/**
 * The request id of a call with an {@code Idempotency-Key}: {@code idem:{length of user id}:{user id}:{key}}.
 * The length prefix keeps users apart even though both parts may contain {@code :}, so user
 * {@code alice:x} with key {@code y} never meets alice's key {@code x:y} (in the stream's dedup
 * store or in this instance's cached responses).
 */
final class IdempotencyKeys {

    private IdempotencyKeys() {
    }

    static String requestId(String userId, String idempotencyKey) {
        return "idem:" + userId.length() + ":" + userId + ":" + idempotencyKey;
    }
}
