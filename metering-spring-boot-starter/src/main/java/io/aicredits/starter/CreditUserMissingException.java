package io.aicredits.starter;

import java.util.Map;

/** The request has no user to charge (no principal): answered 401, nothing held, the handler did not run. */
public class CreditUserMissingException extends CreditGuardException {

    CreditUserMissingException() {
        super(401, "UNAUTHENTICATED", "A signed-in user is required to spend credits", Map.of(), null);
    }
}
