package io.aicredits.gateway.web;

import java.util.regex.Pattern;

/**
 * The {@code Idempotency-Key} header of every endpoint that accepts one (generation, admin credit
 * commands, resets): which keys are allowed, and the id a key becomes.
 *
 * <p>Ids carry the user id's length: {@code idem:{length of user id}:{user id}:{key}} for a request,
 * {@code admin:{endpoint}:{length of caller}:{caller}:{length of target user}:{target user}:{key}}
 * for a credit command. The length prefixes keep users apart even though every part may contain
 * {@code :}, so user {@code alice:x} with key {@code y} never meets alice's key {@code x:y} (in the
 * stream's dedup store or in this instance's cached responses); a command's key belongs to the
 * caller who sent it and the user it is for, and the endpoint keeps one key on two endpoints (an
 * add and a deduct) two commands.
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private IdempotencyKeys() {
    }

    /** Refuses a key outside the allowed characters and length with 400. */
    public static String requireValid(String idempotencyKey) {
        if (!KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.badRequest(HEADER + " must be 1-128 characters of letters, digits, '.', '_', ':' or '-'");
        }
        return idempotencyKey;
    }

    /** The request id of a metered call with a (valid) key. */
    public static String requestId(String userId, String idempotencyKey) {
        return "idem:" + userId.length() + ":" + userId + ":" + idempotencyKey;
    }

    /** The command id of a credit command for {@code userId} sent by {@code callerId} to {@code endpoint} with a (valid) key. */
    public static String commandId(String endpoint, String callerId, String userId, String idempotencyKey) {
        return "admin:" + endpoint + ":" + callerId.length() + ":" + callerId + ":" + userId.length() + ":" + userId
                + ":" + idempotencyKey;
    }
}
